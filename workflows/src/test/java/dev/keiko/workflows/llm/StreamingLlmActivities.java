package dev.keiko.workflows.llm;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * LLM activities whose last scripted call streams until its task cancels it, heartbeating as the real activity
 * does; when a heartbeat says the call is cancelled, it ends the way the test chose. Calls before it answer at once.
 */
public class StreamingLlmActivities implements LlmActivities {

    /** How the streaming call ends once it sees the cancel. */
    public enum OnCancel {
        /** Returns the text so far with finish reason {@code cancelled}, as the real activity does. */
        HAND_OVER_TEXT_SO_FAR,
        /** Returns its whole answer: it finished before it saw the cancel. */
        FINISH_ANSWER,
        /** Ignores the cancel and fails for good (the test server would retry a retryable failure). */
        FAIL
    }

    public static final String TEXT_SO_FAR = "The capital of Fra";
    public static final TokenUsage USAGE_SO_FAR = new TokenUsage(12, 4, 16);

    public final List<ChatCompletionInput> requests = new CopyOnWriteArrayList<>();
    public final AtomicBoolean streaming = new AtomicBoolean();
    public final AtomicBoolean sawCancellation = new AtomicBoolean();
    private final int streamingCall;
    private final Function<Integer, ChatCompletionOutput> earlierAnswers;
    private final OnCancel onCancel;

    public StreamingLlmActivities(int streamingCall, Function<Integer, ChatCompletionOutput> earlierAnswers,
            OnCancel onCancel) {
        this.streamingCall = streamingCall;
        this.earlierAnswers = earlierAnswers;
        this.onCancel = onCancel;
    }

    /** A completion task's only call streams. */
    public static StreamingLlmActivities firstCall(OnCancel onCancel) {
        return new StreamingLlmActivities(1, call -> {
            throw new IllegalStateException("no call before the first");
        }, onCancel);
    }

    @Override
    public ChatCompletionOutput complete(ChatCompletionInput input) {
        requests.add(input);
        if (requests.size() < streamingCall) {
            return earlierAnswers.apply(requests.size());
        }
        ActivityExecutionContext context = Activity.getExecutionContext();
        streaming.set(true);
        try {
            while (true) {
                Thread.sleep(50);
                context.heartbeat(null);
            }
        } catch (ActivityCanceledException e) {
            sawCancellation.set(true);
            return switch (onCancel) {
                case HAND_OVER_TEXT_SO_FAR -> new ChatCompletionOutput(TEXT_SO_FAR, List.of(), "cancelled",
                        USAGE_SO_FAR, "gpt-test");
                case FINISH_ANSWER -> ScriptedLlmActivities.text("The capital of France is Paris.", 12, 7);
                case FAIL -> throw ApplicationFailure.newNonRetryableFailure("connection reset",
                        LlmFailureTypes.PROVIDER_UNAVAILABLE);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        }
    }

    @Override
    public ImageGenerationOutput generateImage(ImageGenerationInput input) {
        throw new UnsupportedOperationException("no images in these tests");
    }
}
