package dev.keiko.api.hostile;

import dev.keiko.api.ApiTestSupport.TestUser;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the suite's requests refer to, created once: a signed-in user per {@link Caller}, an ended task
 * owned by {@link Caller#USER}, and a registered MCP server whose tools would be listed if a request got
 * that far.
 *
 * @param userTask a completed task of {@link Caller#USER}
 * @param server the name of an MCP server registered over HTTP by an admin
 * @param restricted the name of an MCP server whose tasks may call only {@code echo}, and only for admins and
 *     operators
 */
record HostileFixture(Map<Caller, TestUser> users, UUID userTask, String server, String restricted,
        ForgedTokens forged) {

    TestUser user(Caller caller) {
        return users.get(caller);
    }

    String token(Caller caller) {
        return user(caller).token();
    }

    UUID id(Caller caller) {
        return user(caller).id();
    }

    Collection<UUID> userIds() {
        return users.values().stream().map(TestUser::id).toList();
    }

    Set<UUID> taskIds() {
        return Set.of(userTask);
    }

    /**
     * {@code text} with {@code {userTask}}, {@code {server}}, {@code {restricted}} and {@code {<caller>}} (a user
     * id) replaced.
     */
    String resolve(String text) {
        if (text.indexOf('{') < 0) {
            return text;
        }
        String resolved = text.replace("{userTask}", userTask.toString()).replace("{server}", server)
                .replace("{restricted}", restricted);
        for (Caller caller : Caller.values()) {
            resolved = resolved.replace("{" + placeholder(caller) + "}", id(caller).toString());
        }
        return resolved;
    }

    private static String placeholder(Caller caller) {
        String lower = caller.name().toLowerCase(Locale.ROOT);
        int underscore = lower.indexOf('_');
        return underscore < 0 ? lower
                : lower.substring(0, underscore) + Character.toUpperCase(lower.charAt(underscore + 1))
                        + lower.substring(underscore + 2);
    }
}
