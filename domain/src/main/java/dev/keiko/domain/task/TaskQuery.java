package dev.keiko.domain.task;

import dev.keiko.domain.page.KeysetCursor;
import java.util.UUID;

/**
 * A page of tasks, newest first.
 *
 * @param ownerId only this user's tasks, or every user's when null
 * @param status only tasks in this status, or all when null
 * @param type only tasks of this type, or all when null
 * @param agentId only tasks routed to this agent, or all when null
 * @param after the keyset position to continue after, or null for the first page
 * @param limit the page size
 */
public record TaskQuery(UUID ownerId, TaskStatus status, String type, UUID agentId, KeysetCursor after,
        int limit) {

    public TaskQuery(UUID ownerId, TaskStatus status, String type, KeysetCursor after, int limit) {
        this(ownerId, status, type, null, after, limit);
    }
}
