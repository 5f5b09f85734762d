package dev.keiko.domain.task.event;

/**
 * The text the newest model call of a task has written so far, without its abandoned attempts; at most the last
 * {@link #MAX_CHARS} characters of it.
 */
public record AnswerSoFar(String step, ModelCallAttempt call, String text) {

    /** 64 Ki characters: a model's whole answer is rarely longer, and a task view stays small enough to poll. */
    public static final int MAX_CHARS = 64 * 1024;
}
