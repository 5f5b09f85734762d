package dev.keiko.domain.task.event;

/**
 * One attempt of one model call: {@code callId} stays the same across the call's retries, {@code attempt} counts
 * them from 1.
 */
public record ModelCallAttempt(String callId, int attempt) {

    public ModelCallAttempt {
        if (callId == null || callId.isBlank()) {
            throw new IllegalArgumentException("A model call needs an id");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("Attempts count from 1, not " + attempt);
        }
    }
}
