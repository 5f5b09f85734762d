package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.LlmActivities;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs an {@link TaskTypes#AGENT} task inside the task workflow: a model call, then the tool calls it
 * asked for (in parallel), their answers back to the model, until it answers without tool calls or
 * {@code maxSteps} model calls are spent. A failing tool answers the model with its error instead of
 * failing the task, and so does a call the workflow cannot make ({@link ToolCallChecks}).
 */
final class AgentTask implements TaskRunner {

    static final int MAX_TOOL_ANSWER = 64 * 1024;
    static final String CONTINUE_AS_NEW_CHANGE = "agent-continue-as-new";
    static final String APPROVAL_EVENTS_CHANGE = "approval-events";
    /** Tool calls checked before they run, approvals decided by workflow-made ids, answers without text refused. */
    static final String TOOL_CALL_CHECKS_CHANGE = "tool-call-checks";
    static final String DETACHED_ANNOUNCEMENTS_CHANGE = "detached-announcements";
    /** The error of a model call's step when its task's cancel cut the call short. */
    static final String CUT_SHORT = "cancelled";
    // Bounds of one run's history, below the server's own suggestion (4 Ki events, 4 MiB) and far below its
    // hard limits; the Java test server never suggests continuing as new, so these bounds apply there too.
    static final int HISTORY_EVENTS_PER_RUN = 4_000;
    static final long HISTORY_BYTES_PER_RUN = 4L * 1024 * 1024;

    private final StepListener listener;
    private final List<AgentStep> steps = new ArrayList<>();
    private TokenUsage tokens = TokenUsage.NONE;
    // Whether a model call has been made, in this run or an earlier one: only then the metadata shows tokens.
    private boolean called;
    // The last call's prompt and answer: the floor of the next prompt.
    private long contextTokens;
    private int lastMessageCount;

    private final Approvals approvals;
    private AgentTaskParameters parameters;
    private String taskId;

    /** An agent that starts afresh, or from {@code checkpoint} when it is not null. */
    AgentTask(StepListener listener, Approvals approvals, AgentCheckpoint checkpoint) {
        this.listener = listener;
        this.approvals = approvals;
        if (checkpoint != null) {
            steps.addAll(checkpoint.steps());
            tokens = checkpoint.tokens();
            contextTokens = checkpoint.contextTokens();
            lastMessageCount = checkpoint.lastMessageCount();
            called = true;
        }
    }

    /**
     * Runs the agent from the start, or from {@code input}'s checkpoint, until its final answer or until
     * its history is long enough to continue as new.
     */
    @Override
    public TaskOutcome run(TaskWorkflowInput input, long startedAt) {
        AgentTaskParameters parameters = AgentTaskParameters.from(input.parameters());
        this.parameters = parameters;
        this.taskId = input.taskId();
        boolean mayContinueAsNew = Workflow.getVersion(CONTINUE_AS_NEW_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        AgentTools tools = AgentTools.resolve(parameters.tools());
        List<ChatMessage> messages = new ArrayList<>();
        int firstCall = 1;
        if (input.checkpoint() == null) {
            if (parameters.system() != null && !parameters.system().isBlank()) {
                messages.add(ChatMessage.system(parameters.system()));
            }
            messages.add(ChatMessage.user(parameters.goal()));
        } else {
            messages.addAll(input.checkpoint().messages());
            firstCall = input.checkpoint().nextCall();
        }
        ModelCallBudget budget = new ModelCallBudget(input.taskId(), parameters.maxTokens());
        for (int call = firstCall; call <= parameters.maxSteps(); call++) {
            if (call > firstCall && mayContinueAsNew && historyIsLong()) {
                return new TaskOutcome.ContinueAsNew(new AgentCheckpoint(startedAt, call, messages, steps, tokens,
                        contextTokens, lastMessageCount));
            }
            String name = StepLabels.agentModelCall(parameters.deployment(), call);
            long promptEstimate = contextTokens == 0 ? TokenBudget.estimate(messages, tools.definitions())
                    : contextTokens + TokenBudget.estimate(messages.subList(lastMessageCount, messages.size()),
                            List.of());
            Integer completionCap = budget.beforeCall(tokens, promptEstimate, null);
            lastMessageCount = messages.size();
            listener.started(name);
            long started = Workflow.currentTimeMillis();
            boolean handsOverPartialAnswer = CancelledModelCalls.handOverPartialAnswers();
            LlmActivities llm = Workflow.newActivityStub(LlmActivities.class, TaskActivityOptions.modelCall(name,
                    TaskActivityOptions.agentPolicy(input), handsOverPartialAnswer));
            ChatCompletionOutput answer = llm.complete(new ChatCompletionInput(input.taskId(),
                    parameters.provider(), parameters.deployment(), messages, tools.definitions(),
                    parameters.temperature(), completionCap, budget.chargedStep(call), promptEstimate,
                    TaskActivityOptions.agentId(input)));
            boolean cutShort = handsOverPartialAnswer && CancelledModelCalls.cutShort();
            budget.afterCall(call, answer.model(), answer.usage(), cutShort);
            tokens = tokens.plus(answer.usage());
            contextTokens = answer.usage().promptTokens() + answer.usage().completionTokens();
            called = true;
            record(new AgentStep(steps.size() + 1, "llm", name, Workflow.currentTimeMillis() - started,
                    answer.usage().totalTokens(), cutShort ? CUT_SHORT : null));
            if (cutShort) {
                return new TaskOutcome.Cancelled(new PartialAnswer(answer.content(), tokens, steps), metadata());
            }
            if (answer.toolCalls().isEmpty()) {
                return finalAnswer(answer);
            }
            messages.addAll(toolRound(input, call, answer, tools));
        }
        throw new TaskFailedException(TaskErrorTypes.MAX_STEPS, "The agent made " + parameters.maxSteps()
                + " model calls without reaching a final answer");
    }

    /** The tokens and steps spent so far, in this run and those before it. */
    @Override
    public RunMetadata metadata() {
        return new RunMetadata(null, null, called ? tokens : null, steps);
    }

    /** Whether this run's history is long enough to continue as new: Temporal says so, or it passed Keiko's own bounds. */
    private static boolean historyIsLong() {
        WorkflowInfo info = Workflow.getInfo();
        return info.isContinueAsNewSuggested() || info.getHistoryLength() >= HISTORY_EVENTS_PER_RUN
                || info.getHistorySize() >= HISTORY_BYTES_PER_RUN;
    }

    /** The final answer's data; an answer without text is no answer and fails the task. */
    private TaskOutcome finalAnswer(ChatCompletionOutput answer) {
        boolean empty = answer.content() == null || answer.content().isEmpty();
        if (empty && Workflow.getVersion(TOOL_CALL_CHECKS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            throw new TaskFailedException(TaskErrorTypes.INVALID_MODEL_OUTPUT, "The model answered with neither"
                    + " text nor tool calls (finish reason: " + answer.finishReason() + ")");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("answer", answer.content());
        data.put("steps", List.copyOf(steps));
        return new TaskOutcome.Completed(data, metadata());
    }

    /** The assistant message asking for tool calls, then the answer to each call, in the calls' order. */
    private List<ChatMessage> toolRound(TaskWorkflowInput input, int modelCall, ChatCompletionOutput answer,
            AgentTools tools) {
        List<CheckedToolCall> calls = Workflow.getVersion(TOOL_CALL_CHECKS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1
                ? ToolCallChecks.check(modelCall, answer.toolCalls(), tools)
                // Tasks started before the checks decide approvals by the model's tool-call ids.
                : answer.toolCalls().stream().map(call -> new CheckedToolCall(call, call.id(), "")).toList();
        List<ChatMessage> round = new ArrayList<>();
        round.add(new ChatMessage("assistant", answer.content(),
                calls.stream().map(CheckedToolCall::request).toList(), null));
        round.addAll(callTools(input, calls, tools));
        return round;
    }

    private List<ChatMessage> callTools(TaskWorkflowInput input, List<CheckedToolCall> calls, AgentTools tools) {
        List<Promise<ChatMessage>> answers = new ArrayList<>();
        for (CheckedToolCall call : calls) {
            answers.add(call.refused() ? Workflow.newPromise(ChatMessage.tool(call.request().id(), call.refusal()))
                    : Async.function(() -> callTool(input, call, tools)));
        }
        try {
            Promise.allOf(answers).get();
        } catch (RuntimeException e) {
            if (CancellationScope.current().isCancelRequested()) {
                // The first call to stop ends the round, but the others are stopping too: an agent's task gives
                // its slot back only once every call has (outside any agent they stop at once).
                Workflow.newDetachedCancellationScope(
                        () -> Workflow.await(() -> answers.stream().allMatch(Promise::isCompleted))).run();
            }
            throw e;
        }
        return answers.stream().map(Promise::get).toList();
    }

    private ChatMessage callTool(TaskWorkflowInput input, CheckedToolCall checked, AgentTools tools) {
        ToolCallRequest call = checked.request();
        AgentTools.Target target = tools.target(call.name());
        if (target == null) {
            return ChatMessage.tool(call.id(), "Error: there is no tool named '" + call.name() + "'");
        }
        String name = StepLabels.toolCall(target.server(), target.tool());
        if (parameters.needsApproval(target.server(), target.tool())) {
            String rejection = awaitApproval(checked, target);
            if (rejection != null) {
                return ChatMessage.tool(call.id(), rejection);
            }
        }
        listener.started(name);
        long started = Workflow.currentTimeMillis();
        ToolActivities activities = Workflow.newActivityStub(ToolActivities.class,
                TaskActivityOptions.toolCall(input.timeoutSeconds(), name,
                        TaskActivityOptions.agentPolicy(input)));
        try {
            ToolCallOutput output = activities.callTool(new ToolCallInput(input.taskId(), target.server(),
                    target.tool(), null, call.argumentsJson(), TaskActivityOptions.agentId(input)));
            record(new AgentStep(steps.size() + 1, "tool", name, Workflow.currentTimeMillis() - started, 0, null));
            return ChatMessage.tool(call.id(), text(output));
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof CanceledFailure) {
                throw e;
            }
            String error = e.getCause() instanceof ApplicationFailure application ? application.getOriginalMessage()
                    : String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            record(new AgentStep(steps.size() + 1, "tool", name, Workflow.currentTimeMillis() - started, 0, error));
            return ChatMessage.tool(call.id(), "Error: " + error);
        }
    }

    /** Waits for a person's decision on the call's approval id; answers null when approved, else what to tell the model. */
    private String awaitApproval(CheckedToolCall checked, AgentTools.Target target) {
        ToolCallRequest call = checked.request();
        String approval = checked.approvalId();
        String tool = StepLabels.tool(target.server(), target.tool());
        String name = StepLabels.approval(tool);
        listener.started(name);
        long started = Workflow.currentTimeMillis();
        boolean announced = Workflow.getVersion(APPROVAL_EVENTS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        // Tasks started before approval ids decide by the model's tool-call id, which may be missing (null).
        String subject = Objects.equals(approval, call.id()) ? String.valueOf(approval)
                : approval + " (tool call " + call.id() + ")";
        ApprovalDecisionInput decision = approvals.await(approval, call, tool,
                Duration.ofSeconds(parameters.approvalTimeoutSeconds()), () -> {
                    if (announced) {
                        announce(name + " waits for a decision on " + subject);
                    }
                });
        String comment = decision.comment() == null || decision.comment().isBlank() ? "" : ": " + decision.comment();
        String by = decision.decidedBy() != null ? " by " + decision.decidedBy() : "";
        String rejection = decision.approved() ? null : "The call of " + tool + " was rejected" + by + comment;
        if (announced) {
            announce(name + " " + approval + (decision.approved() ? " approved" : " rejected") + by + comment);
        }
        record(new AgentStep(steps.size() + 1, "approval", name, Workflow.currentTimeMillis() - started, 0,
                rejection));
        return rejection;
    }

    /**
     * Publishes a progress event without waiting for it: the task goes on whether or not it gets out. From
     * {@link #DETACHED_ANNOUNCEMENTS_CHANGE} on, cancelling the task leaves an announcement in flight alone.
     */
    private void announce(String message) {
        if (Workflow.getVersion(DETACHED_ANNOUNCEMENTS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            ProgressAnnouncements.announce(taskId, message);
        } else {
            TaskRecordActivities announcer = Workflow.newActivityStub(TaskRecordActivities.class,
                    TaskActivityOptions.announcement());
            Async.function(announcer::announceProgress, new AnnounceProgressInput(taskId, message));
        }
    }

    private void record(AgentStep step) {
        steps.add(step);
        listener.finished(step);
    }

    /** The tool's answer as text for the model: its text items, a marker for anything else, capped. */
    static String text(ToolCallOutput output) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> item : output.content()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append("text".equals(item.get("type")) ? String.valueOf(item.get("text"))
                    : "[" + item.get("type") + " content]");
        }
        if (text.isEmpty() && output.structuredContent() != null) {
            text.append(output.structuredContent());
        }
        return text.length() > MAX_TOOL_ANSWER
                ? text.substring(0, MAX_TOOL_ANSWER) + "\n[truncated: the tool answered " + text.length() + " characters]"
                : text.toString();
    }
}
