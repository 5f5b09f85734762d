package dev.keiko.activities.budget;

import dev.keiko.domain.budget.Reservation;
import dev.keiko.domain.budget.Reservation.Refused;
import dev.keiko.domain.budget.Reservation.Reserved;
import dev.keiko.domain.budget.ReservationRequest;
import dev.keiko.domain.budget.TokenUsageStore;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.task.TaskRecordActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Charges a model call to its task's owner from inside the model-call activity: reserves its tokens of
 * the owner's daily budget before the call (refusing it with {@link LlmFailureTypes#BUDGET_EXCEEDED} when
 * too little is left) and settles them with the real usage after. Both are idempotent per task, step and
 * attempt; an attempt whose answer never came back stays charged at what it reserved.
 */
@Component
public class ModelCallCharges {

    /** Charges nothing: for activities without a database. */
    public static final ModelCallCharges NONE = new ModelCallCharges(null, new TokenReservationProperties(1));

    /** The smallest answer worth a call, as for the task's own budget in the workflow. */
    static final int MIN_ANSWER_TOKENS = 16;
    static final int TOKENS_PER_MESSAGE = 4;
    static final int REPLY_PRIMING_TOKENS = 3;
    // Below the model call's heartbeat timeout (5 s), as the call has not started heartbeating yet.
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(4);

    private static final Logger log = LoggerFactory.getLogger(ModelCallCharges.class);

    private final TokenUsageStore store;
    private final TokenReservationProperties properties;

    public ModelCallCharges(TokenUsageStore store, TokenReservationProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /**
     * Reserves the call's tokens for this attempt: its prompt estimate and an answer of at most
     * {@code keiko.llm.reservations.answer-tokens}; the charge carries the call with its answer capped at what
     * was reserved when the owner has a daily budget.
     */
    public Charge reserve(ChatCompletionInput call, String deployment) {
        if (store == null || !call.chargesOwner()) {
            return new Charge(call, null, 0);
        }
        UUID taskId = taskId(call.taskId());
        // Temporal counts attempts from 1; its test environment reports 0.
        int attempt = Math.max(1, Activity.getExecutionContext().getInfo().getAttempt());
        // An agent's maxTokens is what is left of its task's budget, not a cap on one answer: reserving all of it
        // would let a user's parallel calls starve each other.
        long answer = Math.min(call.maxTokens() != null ? call.maxTokens() : properties.answerTokens(),
                properties.answerTokens());
        long prompt = promptTokens(call);
        long least = prompt + MIN_ANSWER_TOKENS;
        ReservationRequest request = new ReservationRequest(taskId, call.step(), attempt, deployment,
                Math.max(least, prompt + answer), least);
        Reservation reservation = store.reserve(request).block(DATABASE_TIMEOUT);
        return switch (reservation) {
            case Reserved reserved when reserved.limited() -> new Charge(capped(call,
                    (int) Math.min(Integer.MAX_VALUE, reserved.tokens() - prompt)), request, attempt);
            case Reserved unlimited -> new Charge(call, request, attempt);
            case Refused refused -> throw ApplicationFailure.newNonRetryableFailure("The model call could overrun"
                    + " the owner's daily budget of " + refused.dailyTokenBudget() + " tokens ("
                    + Math.max(0, refused.dailyTokenBudget() - refused.chargedToday()) + " left today, about "
                    + prompt + " needed for the prompt); it was not made", LlmFailureTypes.BUDGET_EXCEEDED);
            case Reservation.UnknownTask unknown -> throw missingTask(call.taskId());
        };
    }

    /**
     * Settles the charge with what the call used; a repeated settlement changes nothing. When the database
     * cannot take it, the answer is kept all the same (a retry would pay for the call again) and the call
     * stays charged at its reservation.
     */
    public void settle(Charge charge, String model, TokenUsage usage) {
        if (charge.request() == null) {
            return;
        }
        ReservationRequest request = charge.request();
        try {
            store.settle(request.taskId(), request.step(), charge.attempt(), model, usage.promptTokens(),
                    usage.completionTokens(), usage.totalTokens()).block(DATABASE_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("Could not settle the model call of task {} step {} attempt {} ({} tokens); it stays charged"
                    + " at its reservation", request.taskId(), request.step(), charge.attempt(), usage.totalTokens(), e);
        }
    }

    /** Settles a call the provider refused with an error answer: it spent nothing. */
    public void release(Charge charge) {
        settle(charge, null, TokenUsage.NONE);
    }

    /**
     * The workflow's estimate of the prompt's text, plus what chat models count around it: a few tokens per
     * message and for priming the reply, as OpenAI documents for its chat format.
     */
    static long promptTokens(ChatCompletionInput call) {
        return call.promptEstimate() + TOKENS_PER_MESSAGE * (long) call.messages().size() + REPLY_PRIMING_TOKENS;
    }

    private static ChatCompletionInput capped(ChatCompletionInput call, int maxTokens) {
        return new ChatCompletionInput(call.taskId(), call.provider(), call.deployment(), call.messages(), call.tools(),
                call.temperature(), maxTokens, call.step(), call.promptEstimate(), call.agentId());
    }

    private static UUID taskId(String taskId) {
        try {
            return UUID.fromString(taskId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw missingTask(taskId);
        }
    }

    private static ApplicationFailure missingTask(String taskId) {
        return ApplicationFailure.newNonRetryableFailure("Task " + taskId + " has no row in the read model",
                TaskRecordActivities.MISSING_TASK);
    }

    /**
     * One attempt's charge.
     *
     * @param call the call to make, its answer capped at the reservation
     * @param request what was reserved; null when the call charges no one
     */
    public record Charge(ChatCompletionInput call, ReservationRequest request, int attempt) {
    }
}
