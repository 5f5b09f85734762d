package dev.keiko.api.user;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.domain.user.User;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** User management for admins, and {@code /me} for everyone signed in. */
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private final UserManagement management;

    UserController(UserManagement management) {
        this.management = management;
    }

    @PostMapping
    Mono<ResponseEntity<UserView>> create(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody NewUserRequest request) {
        CurrentUser.from(jwt).require(UserManagement.MANAGE_USERS);
        return withTokensToday(management.create(request)).map(user -> ResponseEntity
                .created(URI.create("/api/v1/users/" + user.id()))
                .body(user));
    }

    @GetMapping
    Flux<UserView> list(@AuthenticationPrincipal Jwt jwt) {
        CurrentUser.from(jwt).require(UserManagement.MANAGE_USERS);
        return management.list().map(UserView::of);
    }

    @GetMapping("/me")
    Mono<UserView> me(@AuthenticationPrincipal Jwt jwt) {
        return withTokensToday(management.find(CurrentUser.from(jwt).id()));
    }

    @GetMapping("/{id}")
    Mono<UserView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        CurrentUser.from(jwt).require(UserManagement.MANAGE_USERS);
        return withTokensToday(management.find(id));
    }

    @PatchMapping("/{id}")
    Mono<UserView> change(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
            @Valid @RequestBody UserChangeRequest request) {
        CurrentUser caller = CurrentUser.from(jwt);
        caller.require(UserManagement.MANAGE_USERS);
        return withTokensToday(management.change(caller, id, request));
    }

    // One user's view carries what they spent today; lists leave it out rather than query per user.
    private Mono<UserView> withTokensToday(Mono<User> user) {
        return user.flatMap(found -> management.tokensToday(found.id()).map(spent -> UserView.of(found, spent)));
    }
}
