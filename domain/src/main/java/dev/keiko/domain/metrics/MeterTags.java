package dev.keiko.domain.metrics;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Tag values that stay few whatever users send: a failure type is one of Keiko's own names (upper case
 * with underscores) or {@code OTHER}; an agent is a registered agent's id or {@code none}, as many as there
 * are agents. Task ids, user ids and free text are never tags.
 */
public final class MeterTags {

    public static final String SUCCESS = "success";
    public static final String OTHER = "OTHER";
    /** The agent of a task outside any agent: the tag is always there, so that every series has the same tags. */
    public static final String NO_AGENT = "none";

    private static final Pattern FAILURE_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private MeterTags() {
    }

    /** The failure type as a tag: Keiko's failure types as they are, anything else {@link #OTHER}. */
    public static String failureType(String type) {
        return type != null && FAILURE_TYPE.matcher(type).matches() ? type : OTHER;
    }

    /** The agent a task was routed to as a tag: its id, or {@link #NO_AGENT} for a task outside any agent. */
    public static String agent(UUID agentId) {
        return agentId == null ? NO_AGENT : agentId.toString();
    }

    /**
     * The agent id a workflow passed on as a tag: the id when it is one (a UUID), {@link #NO_AGENT} when there
     * is none, and {@link #OTHER} for anything else.
     */
    public static String agent(String agentId) {
        if (agentId == null) {
            return NO_AGENT;
        }
        try {
            return UUID.fromString(agentId).toString();
        } catch (IllegalArgumentException e) {
            return OTHER;
        }
    }
}
