package dev.keiko.api.task;

import dev.keiko.domain.task.event.AnswerSoFar;

/**
 * What the newest model call of a running task has written so far: at most its last 65,536 characters
 * ({@link AnswerSoFar#MAX_CHARS}), without the text of attempts that failed or were retried.
 */
public record AnswerSoFarView(String step, String call, int attempt, String text) {

    static AnswerSoFarView of(AnswerSoFar answer) {
        return new AnswerSoFarView(answer.step(), answer.call().callId(), answer.call().attempt(), answer.text());
    }
}
