package dev.keiko.domain.budget;

import java.util.UUID;

/**
 * What one attempt of a model call asks to reserve of its owner's daily budget before it is made.
 *
 * @param step the call's number within its task
 * @param attempt the activity's attempt, from 1
 * @param model the deployment or model asked for, for the record
 * @param wantedTokens the prompt estimate plus the answer's cap: what the call reserves when that much is left
 * @param leastTokens the prompt estimate plus the smallest useful answer: with less left, the call is refused
 */
public record ReservationRequest(UUID taskId, int step, int attempt, String model, long wantedTokens,
        long leastTokens) {

    public ReservationRequest {
        if (step < 1 || attempt < 1 || leastTokens < 1 || wantedTokens < leastTokens) {
            throw new IllegalArgumentException("step and attempt from 1, and 1 <= leastTokens <= wantedTokens");
        }
    }
}
