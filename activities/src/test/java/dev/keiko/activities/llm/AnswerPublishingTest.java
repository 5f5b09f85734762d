package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.keiko.activities.ActivitiesTest;
import dev.keiko.activities.budget.ModelCallCharges;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.task.event.ModelCallAttempt;
import dev.keiko.domain.task.event.TaskEvent;
import dev.keiko.domain.task.event.TaskEvent.AttemptAbandoned;
import dev.keiko.domain.task.event.TaskEvent.TextWritten;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import dev.keiko.workflows.llm.LlmActivities;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.task.TaskRecordActivities;
import dev.keiko.workflows.task.TaskTypes;
import dev.keiko.workflows.task.TaskWorkflow;
import dev.keiko.workflows.task.TaskWorkflowIds;
import dev.keiko.workflows.task.TaskWorkflowImpl;
import dev.keiko.workflows.task.TaskWorkflowInput;
import dev.keiko.workflows.task.TaskWorkflowOutput;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * The text of streamed answers in the task's event log, in PostgreSQL: in order, in batches, complete; a cancelled
 * call's text as far as it came, its charge settled with the estimate; a failed attempt's text abandoned and the
 * retry's complete.
 */
class AnswerPublishingTest extends ActivitiesTest {

    private static final String STEP = "llm: " + LlmFakes.OPENAI_MODEL;

    @RegisterExtension
    static final WireMockExtension openAi = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @Autowired
    TaskEventLog eventLog;

    @Autowired
    ModelCallCharges charges;

    @Autowired
    TaskRecordActivities records;

    @Autowired
    UserStore userStore;

    @Autowired
    TaskStore tasks;

    @Autowired
    DatabaseClient db;

    @Autowired
    ConnectionFactory connections;

    @Autowired
    JsonMapper json;

    @Test
    void theTextReachesTheTasksEventsInOrderInBatchesAndComplete() {
        String text = IntStream.range(0, 250).mapToObj(SlowStreamServer::word).collect(joining());
        List<String> chunks = StreamedFixtures.textChunks(text, 5);
        openAi.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT))
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), chunks.size(), 1500)));
        UUID task = newTask();

        ChatCompletionOutput output;
        try (LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(
                LlmFakes.openAi(openAi.baseUrl()), DeploymentRateLimiter.NONE, ModelCallCharges.NONE, eventLog))) {
            output = environment.activities().complete(question(task, 0));
        }

        assertThat(output.content()).isEqualTo(text);
        List<TextWritten> deltas = texts(task);
        assertThat(deltas.stream().map(TextWritten::text).collect(joining())).isEqualTo(text);
        assertThat(deltas).as("batched: fewer deltas than chunks, more than one").hasSizeBetween(2, chunks.size() / 2);
        int offset = 0;
        for (TextWritten delta : deltas) {
            assertThat(delta.offset()).as("each delta starts where the one before ended").isEqualTo(offset);
            assertThat(delta.step()).isEqualTo(STEP);
            assertThat(delta.call().attempt()).isEqualTo(1);
            assertThat(delta.abandoned()).isFalse();
            offset += delta.text().length();
        }
        assertThat(deltas).extracting(delta -> delta.call().callId()).containsOnly(deltas.getFirst().call().callId());
        assertThat(eventLog.answerSoFar(task).block().text()).isEqualTo(text);
    }

    @Test
    void anAttemptPublishesAtMostItsCapAndSaysSo() {
        String text = IntStream.range(0, 150_000).mapToObj(SlowStreamServer::word).collect(joining());
        assertThat(text.length()).isGreaterThan(AnswerPublisher.MAX_CHARS);
        List<String> chunks = StreamedFixtures.textChunks(text, 64 * 1024);
        openAi.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT))
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), chunks.size(), 500)));
        UUID task = newTask();

        ChatCompletionOutput output;
        try (LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(
                LlmFakes.openAi(openAi.baseUrl()), DeploymentRateLimiter.NONE, ModelCallCharges.NONE, eventLog))) {
            output = environment.activities().complete(question(task, 0));
        }

        assertThat(output.content()).as("the answer is whole").isEqualTo(text);
        assertThat(texts(task).stream().map(TextWritten::text).collect(joining()))
                .isEqualTo(text.substring(0, AnswerPublisher.MAX_CHARS));
        assertThat(texts(task)).as("64 KiB came at once, in deltas of at most 8 KiB")
                .allSatisfy(delta -> assertThat(delta.text()).hasSizeLessThanOrEqualTo(AnswerPublisher.MAX_DELTA_CHARS));
        assertThat(events(task)).filteredOn(TaskEvent.Progressed.class::isInstance).singleElement()
                .extracting(event -> ((TaskEvent.Progressed) event).message()).asString()
                .contains("passed " + AnswerPublisher.MAX_CHARS + " characters");
    }

    @Test
    void aDeltaTheLogCouldNotTakeIsAppendedAgainAndTheTextEndsUpWhole() throws Exception {
        String text = IntStream.range(0, 80).mapToObj(SlowStreamServer::word).collect(joining());
        List<String> chunks = StreamedFixtures.textChunks(text, 5);
        openAi.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT))
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), chunks.size(), 5000)));
        UUID task = newTask();
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        Logger publisherLog = (Logger) LoggerFactory.getLogger(AnswerPublisher.class);
        publisherLog.addAppender(warnings);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(
                LlmFakes.openAi(openAi.baseUrl()), DeploymentRateLimiter.NONE, ModelCallCharges.NONE, eventLog))) {
            Future<ChatCompletionOutput> outcome = caller.submit(() -> environment.activities().complete(question(task,
                    0)));
            await().atMost(Duration.ofSeconds(10)).until(() -> !texts(task).isEmpty());

            // Appends wait for the task's sequence row: held for 2.5 s, they time out (after 1 s) meanwhile.
            holdSequenceRow(task, Duration.ofMillis(2500));
            ChatCompletionOutput output = outcome.get(30, TimeUnit.SECONDS);

            assertThat(output.content()).isEqualTo(text);
            assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(warning -> assertThat(warning).startsWith("Could not publish text of model call"));
            List<TextWritten> deltas = texts(task);
            assertThat(deltas.stream().map(TextWritten::text).collect(joining())).isEqualTo(text);
            int offset = 0;
            for (TextWritten delta : deltas) {
                assertThat(delta.offset()).as("no gap, no repeat").isEqualTo(offset);
                offset += delta.text().length();
            }
        } finally {
            publisherLog.detachAppender(warnings);
            caller.shutdownNow();
        }
    }

    @Test
    void aCancelledCallPublishesItsTextSoFarAndSettlesItsEstimatedTokens() throws Exception {
        UUID task = newTask();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (SlowStreamServer model = new SlowStreamServer();
                LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(
                        LlmFakes.openAi(model.baseUrl()), DeploymentRateLimiter.NONE, charges, eventLog))) {
            Future<ChatCompletionOutput> outcome = caller.submit(() -> environment.activities().complete(question(task,
                    1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> texts(task).size() >= 3);

            environment.requestCancel();
            ChatCompletionOutput cancelled = outcome.get(10, TimeUnit.SECONDS);

            assertThat(cancelled.finishReason()).isEqualTo("cancelled");
            assertThat(cancelled.usage().estimated()).isTrue();
            assertThat(texts(task).stream().map(TextWritten::text).collect(joining()))
                    .as("all the text it returns, published").isEqualTo(cancelled.content());
            assertThat(model.clientLeftWithin(Duration.ofSeconds(3))).isTrue();
            assertThat(db.sql("SELECT state || ' ' || charged_tokens AS charge FROM token_usage WHERE task_id = :task")
                    .bind("task", task).map(row -> row.get("charge", String.class)).one().block())
                    .isEqualTo("settled " + cancelled.usage().totalTokens());
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aStreamThatBreaksOffAbandonsItsAttemptAndTheRetrysTextIsComplete() {
        String text = IntStream.range(0, 60).mapToObj(SlowStreamServer::word).collect(joining());
        List<String> chunks = StreamedFixtures.textChunks(text, 5);
        String half = StreamedFixtures.events(chunks.subList(0, chunks.size() / 2)).replace("data: [DONE]\n\n", "");
        openAi.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT)).inScenario("broken")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(StreamedFixtures.stream(half, chunks.size() / 2, 800)).willSetStateTo("whole"));
        openAi.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT)).inScenario("broken").whenScenarioStateIs("whole")
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), chunks.size(), 800)));
        LlmActivitiesImpl llm = new LlmActivitiesImpl(LlmFakes.openAi(openAi.baseUrl()), DeploymentRateLimiter.NONE,
                ModelCallCharges.NONE, eventLog);

        UUID task = runCompletionTask(llm);

        List<TextWritten> deltas = texts(task);
        assertThat(deltas).filteredOn(delta -> delta.call().attempt() == 1).isNotEmpty()
                .allSatisfy(delta -> assertThat(delta.abandoned()).isTrue());
        assertThat(abandoned(task)).containsExactly(1);
        assertThat(deltas.stream().filter(delta -> delta.call().attempt() == 2).map(TextWritten::text)
                .collect(joining())).isEqualTo(text);
        assertThat(deltas).filteredOn(delta -> delta.call().attempt() == 2)
                .allSatisfy(delta -> assertThat(delta.abandoned()).isFalse());
        assertThat(eventLog.answerSoFar(task).block().text()).isEqualTo(text);
    }

    @Test
    void aRetryAbandonsTheTextOfAnAttemptThatEndedWithoutSaying() {
        List<String> chunks = StreamedFixtures.chunks("openai-chat-answer.json", false, true);
        openAi.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT))
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), 4, 200)));
        LlmActivities dyingFirst = new DiesAfterWriting(new LlmActivitiesImpl(LlmFakes.openAi(openAi.baseUrl()),
                DeploymentRateLimiter.NONE, ModelCallCharges.NONE, eventLog), eventLog);

        UUID task = runCompletionTask(dyingFirst);

        List<TextWritten> deltas = texts(task);
        assertThat(deltas).filteredOn(delta -> delta.call().attempt() == 1).singleElement()
                .satisfies(delta -> assertThat(delta.abandoned()).isTrue());
        assertThat(abandoned(task)).containsExactly(1);
        assertThat(eventLog.answerSoFar(task).block().text()).isEqualTo("Paris is the capital of France.");
    }

    @Test
    void aRetryWhoseFirstWriteFailsAbandonsTheEarlierAttemptBeforeItsOwnText() {
        List<String> chunks = StreamedFixtures.chunks("openai-chat-answer.json", false, true);
        openAi.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT))
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), 4, 200)));
        // The retry's first write fails, as a freshly started worker's first query did on a busy machine (it timed
        // out before it reached the database); the log takes the later ones.
        AtomicInteger refused = new AtomicInteger();
        TaskEventLog firstAbandonFails = new TaskEventLog(db) {
            @Override
            public Mono<Void> abandonEarlier(UUID taskId, ModelCallAttempt current) {
                return refused.getAndIncrement() == 0 ? Mono.error(new IllegalStateException("Timeout on blocking read"))
                        : super.abandonEarlier(taskId, current);
            }
        };
        LlmActivities dyingFirst = new DiesAfterWriting(new LlmActivitiesImpl(LlmFakes.openAi(openAi.baseUrl()),
                DeploymentRateLimiter.NONE, ModelCallCharges.NONE, firstAbandonFails), eventLog);

        UUID task = runCompletionTask(dyingFirst);

        List<TaskEvent> events = events(task);
        long abandonedAt = events.stream().filter(AttemptAbandoned.class::isInstance).map(TaskEvent::seq)
                .findFirst().orElseThrow(() -> new AssertionError("attempt 1 was never abandoned: " + events));
        assertThat(refused).hasValueGreaterThan(1);
        assertThat(texts(task)).filteredOn(delta -> delta.call().attempt() == 2).isNotEmpty()
                .allSatisfy(delta -> assertThat(delta.seq()).isGreaterThan(abandonedAt));
        assertThat(eventLog.answerSoFar(task).block().text()).isEqualTo("Paris is the capital of France.");
    }

    private UUID runCompletionTask(LlmActivities llm) {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Worker worker = env.newWorker(TaskQueues.TASKS);
            worker.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
            worker.registerActivitiesImplementations(records, llm);
            env.start();
            Map<String, Object> parameters = Map.of("prompt", "Capital of France?", "maxTokens", 100);
            UUID owner = userStore.insert(uniqueName("streamer"), "{noop}x", Role.USER, UserProfile.EMPTY).block()
                    .id();
            UUID task = tasks.insert(new NewTask(owner, TaskTypes.COMPLETION, json.valueToTree(parameters),
                    TaskPriority.NORMAL, 600, null, null)).block().task().id();
            TaskWorkflowOutput output = env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class,
                    WorkflowOptions.newBuilder().setWorkflowId(TaskWorkflowIds.forTask(task.toString()))
                            .setTaskQueue(TaskQueues.TASKS).build())
                    .run(new TaskWorkflowInput(task.toString(), TaskTypes.COMPLETION, parameters, 600));
            assertThat(output.result().success()).isTrue();
            return task;
        }
    }

    /** Locks the task's sequence row for {@code duration}, from another connection; returns once it holds it. */
    private void holdSequenceRow(UUID task, Duration duration) {
        Sinks.Empty<Void> locked = Sinks.empty();
        Mono.usingWhen(Mono.from(connections.create()),
                        connection -> Mono.from(connection.beginTransaction())
                                .thenMany(Flux.from(connection.createStatement(
                                        "SELECT last_seq FROM task_event_sequences WHERE task_id = $1 FOR UPDATE")
                                        .bind("$1", task).execute()).flatMap(result -> result.map((row, meta) -> 1)))
                                .then(Mono.fromRunnable(locked::tryEmitEmpty))
                                .then(Mono.delay(duration))
                                .then(Mono.from(connection.rollbackTransaction())),
                        Connection::close)
                .subscribe();
        locked.asMono().block(Duration.ofSeconds(10));
    }

    private UUID newTask() {
        UUID owner = userStore.insert(uniqueName("streamer"), "{noop}x", Role.USER, UserProfile.EMPTY).block().id();
        return tasks.insert(new NewTask(owner, TaskTypes.COMPLETION, json.valueToTree(Map.of("prompt", "x")),
                TaskPriority.NORMAL, 600, null, null)).block().task().id();
    }

    private static ChatCompletionInput question(UUID task, int step) {
        return new ChatCompletionInput(task.toString(), null, null,
                List.of(ChatMessage.system("Answer briefly."), ChatMessage.user("What is the capital of France?")),
                List.of(), null, 100, step, 12);
    }

    private List<TextWritten> texts(UUID task) {
        return events(task).stream().filter(TextWritten.class::isInstance).map(TextWritten.class::cast).toList();
    }

    private List<Integer> abandoned(UUID task) {
        return events(task).stream().filter(AttemptAbandoned.class::isInstance)
                .map(event -> ((AttemptAbandoned) event).call().attempt()).toList();
    }

    private List<TaskEvent> events(UUID task) {
        return eventLog.after(task, 0, TaskEventLog.MAX_PAGE).collectList().block();
    }

    /** A worker that wrote some of its first attempt's answer and died, saying nothing; then the real calls. */
    private record DiesAfterWriting(LlmActivities calls, TaskEventLog eventLog) implements LlmActivities {

        @Override
        public ChatCompletionOutput complete(ChatCompletionInput input) {
            ActivityInfo info = Activity.getExecutionContext().getInfo();
            if (info.getAttempt() == 1) {
                eventLog.appendText(UUID.fromString(input.taskId()), new ModelCallAttempt(info.getWorkflowRunId()
                        + "/" + info.getActivityId(), 1), STEP, 0, "Lyon is").block();
                throw ApplicationFailure.newFailure("the worker died", LlmFailureTypes.PROVIDER_UNAVAILABLE);
            }
            return calls.complete(input);
        }

        @Override
        public ImageGenerationOutput generateImage(ImageGenerationInput input) {
            return calls.generateImage(input);
        }
    }
}
