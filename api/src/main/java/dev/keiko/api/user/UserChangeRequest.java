package dev.keiko.api.user;

import jakarta.validation.constraints.Pattern;
import dev.keiko.api.auth.PasswordHasher;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PATCH /api/v1/users/{id}}: what to change, at least one field ({@code password} sets a
 * new one). A class with setters
 * rather than a record because {@code "dailyTokenBudget": null} (remove the budget) must differ from
 * leaving the field out (keep it), and Jackson calls a setter only for a field that was sent.
 */
public class UserChangeRequest {

    @Pattern(regexp = NewUserRequest.ROLES, message = NewUserRequest.ROLES_MESSAGE)
    private String role;

    private Boolean active;

    @Positive
    private Long dailyTokenBudget;

    @Size(min = 8, max = PasswordHasher.MAX_PASSWORD_BYTES)
    private String password;

    private boolean budgetSent;

    public void setRole(String role) {
        this.role = role;
    }

    public void setActive(Boolean active) {
        this.active = active;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setDailyTokenBudget(Long dailyTokenBudget) {
        this.dailyTokenBudget = dailyTokenBudget;
        this.budgetSent = true;
    }

    String role() {
        return role;
    }

    /** The new password, or null to keep it. */
    String password() {
        return password;
    }

    Boolean active() {
        return active;
    }

    /** The new budget, or null to leave it as it is or, with {@link #clearsBudget()}, remove it. */
    Long dailyTokenBudget() {
        return dailyTokenBudget;
    }

    boolean clearsBudget() {
        return budgetSent && dailyTokenBudget == null;
    }

    boolean changesNothing() {
        return role == null && active == null && !budgetSent && password == null;
    }
}
