package dev.keiko.workflows.agent;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The agent whose slot is asked for, and the request to pass on.
 *
 * @param searchAttributes whether the namespace has Keiko's search attributes (the asking task workflow carries
 *         them): a slot workflow started for the request then carries {@code KeikoKind = "agent-slots"}
 */
public record RequestSlotInput(String agentId, SlotRequest request,
        // Left out when false, so that the requests of tasks without search attributes read as before.
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean searchAttributes) {

    public RequestSlotInput(String agentId, SlotRequest request) {
        this(agentId, request, false);
    }
}
