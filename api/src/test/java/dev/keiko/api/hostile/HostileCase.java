package dev.keiko.api.hostile;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One hostile request and the 4xx it must answer.
 *
 * @param name what the request is, as the test report shows it
 * @param statuses the statuses it may answer: one, except where two checks may see the mistake first
 */
record HostileCase(String name, Set<Integer> statuses, HostileRequest request) {

    static HostileCase refused(int status, String name, HostileRequest request) {
        return new HostileCase(name, Set.of(status), request);
    }

    /** Invalid input that the request's own checks (400) or the checks against what exists (422) may refuse. */
    static HostileCase invalid(String name, HostileRequest request) {
        return new HostileCase(name, Set.of(400, 422), request);
    }

    /** Wrong credentials: 401, or 429 once a login throttle has seen enough of them from this address. */
    static HostileCase wrongCredentials(String name, HostileRequest request) {
        return new HostileCase(name, Set.of(401, 429), request);
    }

    /** A password longer than bcrypt reads (72 bytes): refused as invalid (400) or as wrong, never a 5xx. */
    static HostileCase overlongPassword(String name, HostileRequest request) {
        return new HostileCase(name, Set.of(400, 401, 429), request);
    }

    @Override
    public String toString() {
        return new TreeSet<>(statuses).stream().map(String::valueOf).collect(Collectors.joining("|")) + " " + name;
    }
}
