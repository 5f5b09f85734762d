package dev.keiko.api.hostile;

import dev.keiko.domain.user.Role;

/** The suite's users, created once; each signs in before the cases run. */
enum Caller {
    ADMIN(Role.ADMIN),
    OPERATOR(Role.OPERATOR),
    USER(Role.USER),
    OTHER_USER(Role.USER),
    VIEWER(Role.VIEWER),
    /** Deactivated after signing in: its token is correctly signed but must no longer work. */
    DEACTIVATED(Role.USER),
    /** An operator demoted to viewer after signing in: its token names a role the user no longer has. */
    DEMOTED(Role.OPERATOR);

    private final Role role;

    Caller(Role role) {
        this.role = role;
    }

    Role role() {
        return role;
    }
}
