package dev.keiko.api.user;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.auth.PasswordHasher;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.budget.TokenUsageStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Creates, lists and changes users; only admins may, which the callers check with {@link #MANAGE_USERS}. */
@Service
public class UserManagement {

    /** Granted by no role but admin's {@code *}. */
    public static final String MANAGE_USERS = "users:manage";

    private final UserStore users;
    private final PasswordHasher hasher;
    private final TokenUsageStore tokenUsage;

    public UserManagement(UserStore users, PasswordHasher hasher, TokenUsageStore tokenUsage) {
        this.users = users;
        this.hasher = hasher;
        this.tokenUsage = tokenUsage;
    }

    public Mono<User> create(NewUserRequest request) {
        if (!PasswordHasher.fits(request.password())) {
            return Mono.error(passwordTooLong());
        }
        UserProfile profile = new UserProfile(request.fullName(), request.email(), request.timezone());
        return hasher.hash(request.password())
                .flatMap(hash -> users.insert(request.username(), hash, Role.of(request.role()), profile))
                .onErrorMap(DuplicateKeyException.class,
                        e -> Problems.conflict("The username '" + request.username() + "' is taken"));
    }

    public Flux<User> list() {
        return users.findAll();
    }

    public Mono<User> find(UUID id) {
        return users.findById(id).switchIfEmpty(Mono.error(() -> Problems.notFound("No user with id " + id)));
    }

    /** The model tokens the user's tasks spent today (UTC). */
    public Mono<Long> tokensToday(UUID id) {
        return tokenUsage.spentToday(id);
    }

    /**
     * Changes a user's role, active flag, daily token budget and/or password; admins cannot demote or
     * deactivate themselves.
     */
    public Mono<User> change(CurrentUser caller, UUID id, UserChangeRequest change) {
        if (change.changesNothing()) {
            return Mono.error(Problems.badRequest(
                    "Nothing to change: send 'role', 'active', 'dailyTokenBudget' and/or 'password'"));
        }
        Role role = change.role() == null ? null : Role.of(change.role());
        boolean demotesOrDeactivates = (role != null && role != Role.ADMIN) || Boolean.FALSE.equals(change.active());
        if (caller.id().equals(id) && demotesOrDeactivates) {
            // Otherwise the last admin could lock everyone out of user management.
            return Mono.error(Problems.conflict("You cannot demote or deactivate yourself; ask another admin"));
        }
        if (change.password() != null && !PasswordHasher.fits(change.password())) {
            return Mono.error(passwordTooLong());
        }
        Mono<User> update = users.update(id, role, change.active(), change.dailyTokenBudget(), change.clearsBudget());
        if (change.password() != null) {
            // Hashed first, so that a busy hasher (503) leaves the user unchanged.
            update = hasher.hash(change.password())
                    .flatMap(hash -> users.update(id, role, change.active(), change.dailyTokenBudget(),
                            change.clearsBudget()).flatMap(updated -> users.changePasswordHash(id, hash)));
        }
        return update.switchIfEmpty(Mono.error(() -> Problems.notFound("No user with id " + id)));
    }

    private static RuntimeException passwordTooLong() {
        return Problems.badRequest("'password' must be at most " + PasswordHasher.MAX_PASSWORD_BYTES
                + " bytes in UTF-8");
    }
}
