package dev.keiko.activities.llm;

import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One chat completion's answer as the provider streams it: the provider's thread adds the pieces, the activity's
 * thread reads the text so far to publish it, and either assembles the whole answer or, on cancellation, what
 * arrived. Tool calls are put together from their fragments by their index.
 */
final class ChatAnswer {

    private final StringBuilder text = new StringBuilder();
    private final List<ToolCallParts> toolCalls = new ArrayList<>();
    private String finishReason;
    private TokenUsage usage;
    private String model;
    private Closeable body;
    private boolean answered;
    private boolean ended;
    private boolean aborted;
    private boolean woken;

    /** Adds to the text, until the answer is aborted: then the text is what the activity keeps. */
    synchronized void text(String delta) {
        if (!aborted && delta != null && !delta.isEmpty()) {
            text.append(delta);
            notifyAll();
        }
    }

    /**
     * A fragment of a tool call. Without an index (servers that send each call whole), a fragment with a new id
     * starts a call and one without continues the last.
     */
    synchronized void toolCall(Integer index, String id, String name, String arguments) {
        boolean continues = !toolCalls.isEmpty() && (id == null || id.equals(toolCalls.getLast().id));
        int at = index != null ? index : continues ? toolCalls.size() - 1 : toolCalls.size();
        while (toolCalls.size() <= at) {
            toolCalls.add(new ToolCallParts());
        }
        ToolCallParts call = toolCalls.get(at);
        call.received = true;
        // Sent with the first fragment only; a server that repeats them does not make them longer.
        call.id = call.id != null ? call.id : id;
        call.name = call.name != null ? call.name : name;
        if (arguments != null) {
            call.arguments.append(arguments);
        }
    }

    synchronized void finish(String reason) {
        finishReason = reason == null ? null : reason.toLowerCase(Locale.ROOT);
    }

    /** The provider's call returned or failed: nothing more arrives. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Ends every wait for text from now on: the activity has something else to do (its cancel arrived). */
    synchronized void wake() {
        woken = true;
        notifyAll();
    }

    synchronized boolean woken() {
        return woken;
    }

    synchronized void usage(TokenUsage reported) {
        usage = reported;
    }

    synchronized void model(String name) {
        if (name != null && !name.isBlank()) {
            model = name;
        }
    }

    synchronized boolean finished() {
        return finishReason != null;
    }

    /** An answer that came back whole: a server that does not stream, or a non-streaming fixture. */
    synchronized void whole(ChatCompletionOutput output) {
        text(output.content());
        for (int index = 0; index < output.toolCalls().size(); index++) {
            ToolCallRequest call = output.toolCalls().get(index);
            toolCall(index, call.id(), call.name(), call.argumentsJson());
        }
        finishReason = output.finishReason();
        usage = output.usage();
        model = output.model();
    }

    /**
     * The body of the provider's successful response, being read, closed by {@link #abort()}; a body that arrives
     * after the abort is closed at once.
     */
    void reading(Closeable response) throws IOException {
        synchronized (this) {
            answered = true;
            if (!aborted) {
                body = response;
                return;
            }
        }
        response.close();
    }

    /** Whether the provider answered with success: from then on, the call spent tokens whatever happens. */
    synchronized boolean answered() {
        return answered;
    }

    /** Stops reading: closes the response body, which ends its HTTP exchange. */
    void abort() {
        Closeable reading;
        synchronized (this) {
            aborted = true;
            reading = body;
        }
        if (reading != null) {
            try {
                reading.close();
            } catch (IOException | RuntimeException e) {
                // Closed already, or the connection is gone: either way nothing more is read.
            }
        }
    }

    synchronized int textLength() {
        return text.length();
    }

    synchronized String text(int from, int to) {
        return text.substring(from, to);
    }

    /** Waits until the text is at least {@code length} characters long, the call ends, or the time is up. */
    synchronized void awaitText(int length, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (long left = timeoutNanos; text.length() < length && !ended && !woken && left > 0;
                left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * The assembled answer.
     *
     * @param deployment the model to name when the provider named none
     * @param promptEstimate the prompt's tokens, for an estimate when the provider reported no usage
     */
    synchronized ChatCompletionOutput output(String deployment, long promptEstimate) {
        // An index past those sent leaves places no fragment filled: they are no calls.
        List<ToolCallRequest> calls = toolCalls.stream().filter(call -> call.received).map(ToolCallParts::request)
                .toList();
        return new ChatCompletionOutput(content(), calls, finishReason,
                usage != null ? usage : estimate(promptEstimate, calls), model != null ? model : deployment);
    }

    /** What arrived before the call was cancelled: its text, no tool calls, and its usage or an estimate. */
    synchronized ChatCompletionOutput cancelled(String deployment, long promptEstimate) {
        return new ChatCompletionOutput(content(), List.of(), ChatCompletionOutput.CANCELLED,
                usage != null ? usage : estimate(promptEstimate, List.of()), model != null ? model : deployment);
    }

    private String content() {
        return text.isEmpty() ? null : text.toString();
    }

    private TokenUsage estimate(long promptEstimate, List<ToolCallRequest> calls) {
        long characters = text.length();
        for (ToolCallRequest call : calls) {
            characters += (call.name() == null ? 0 : call.name().length()) + call.argumentsJson().length();
        }
        long completion = UsageEstimate.tokens(characters);
        return new TokenUsage(promptEstimate, completion, promptEstimate + completion, true);
    }

    private static final class ToolCallParts {

        private boolean received;
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();

        ToolCallRequest request() {
            return new ToolCallRequest(id, name, arguments.isEmpty() ? ToolCallRequest.NO_ARGUMENTS
                    : arguments.toString());
        }
    }
}
