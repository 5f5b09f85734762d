package dev.keiko.api.task;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.workflows.task.ApprovalDecisionOutput;
import dev.keiko.workflows.task.TaskProgress;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/tasks")
class TaskController {

    private final TaskManagement management;
    private final TaskWorkflows workflows;
    private final TaskEventStream events;
    private final TaskApprovals approvals;
    private final OpenStreams openStreams;
    private final TaskEventLog eventLog;

    TaskController(TaskManagement management, TaskWorkflows workflows, TaskEventStream events,
            TaskApprovals approvals, OpenStreams openStreams, TaskEventLog eventLog) {
        this.eventLog = eventLog;
        this.management = management;
        this.workflows = workflows;
        this.events = events;
        this.approvals = approvals;
        this.openStreams = openStreams;
    }

    @PostMapping
    Mono<ResponseEntity<TaskView>> submit(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody TaskRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        return management.submit(CurrentUser.from(jwt), request, idempotencyKey)
                .map(insert -> ResponseEntity.accepted()
                        .location(URI.create("/api/v1/tasks/" + insert.task().id()))
                        .header("Idempotent-Replayed", Boolean.toString(!insert.created()))
                        .body(TaskView.of(insert.task())));
    }

    @GetMapping("/{id}")
    Mono<TaskView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        return management.find(CurrentUser.from(jwt), id).flatMap(task -> task.status().isTerminal()
                ? Mono.just(TaskView.of(task))
                : workflows.progress(task).flatMap(progress -> placed(task, progress))
                        .map(progress -> TaskView.of(task, progress))
                        .defaultIfEmpty(TaskView.of(task))
                        .flatMap(view -> withAnswerSoFar(task, view)));
    }

    /** A running task's view with what its newest model call has written so far, when it has written something. */
    private Mono<TaskView> withAnswerSoFar(Task task, TaskView view) {
        if (task.status() != TaskStatus.RUNNING) {
            return Mono.just(view);
        }
        return eventLog.answerSoFar(task.id()).map(answer -> view.withAnswerSoFar(AnswerSoFarView.of(answer)))
                .defaultIfEmpty(view);
    }

    /** A waiting task's progress with its place in line as its agent's slot workflow knows it now. */
    private Mono<TaskProgress> placed(Task task, TaskProgress progress) {
        if (progress.queuePlace() == null) {
            return Mono.just(progress);
        }
        return workflows.queuePlace(task).map(place -> progress.atPlace(place.place(), place.waiting()))
                .defaultIfEmpty(progress);
    }

    @GetMapping
    Mono<TaskListView> list(@AuthenticationPrincipal Jwt jwt,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String agentId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "") List<String> include) {
        TaskListIncludes includes = TaskListIncludes.parse(include);
        return management.list(CurrentUser.from(jwt), status, type, agentId, limit, cursor)
                .map(page -> new TaskListView(page.tasks().stream().map(TaskView::of).map(includes::apply).toList(),
                        page.nextCursor()));
    }

    @PostMapping("/{id}/cancel")
    Mono<ResponseEntity<TaskView>> cancel(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        return management.cancel(CurrentUser.from(jwt), id)
                .map(task -> ResponseEntity.accepted().body(TaskView.of(task)));
    }

    @PostMapping("/{id}/approvals")
    Mono<ApprovalDecisionOutput> decide(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id,
            @Valid @RequestBody ApprovalRequest request) {
        return approvals.decide(CurrentUser.from(jwt), id, request);
    }

    /**
     * The task's events after {@code Last-Event-ID} (or {@code ?after=N}), then the live ones. 400, 404 and 429 are
     * answered before the stream starts, so they come as problem+json; an ended task with nothing after that event
     * that the stream would send (abandoned text counts only when asked for) answers 204, which tells an EventSource to stop reconnecting.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<ResponseEntity<Flux<ServerSentEvent<Object>>>> events(@AuthenticationPrincipal Jwt jwt,
            @PathVariable UUID id, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(required = false) String after, @RequestParam(required = false) String abandoned) {
        CurrentUser user = CurrentUser.from(jwt);
        long resumeAfter = EventStreamPosition.after(lastEventId, after);
        boolean includeAbandoned = AbandonedText.include(abandoned);
        return management.find(user, id)
                .filterWhen(task -> task.status().isTerminal() ? events.hasEventsAfter(task, resumeAfter, includeAbandoned)
                        : Mono.just(true))
                .doOnNext(task -> openStreams.requireRoom(user))
                .map(task -> ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(openStreams.limit(user, jwt.getExpiresAt(),
                                events.follow(task, resumeAfter, includeAbandoned))))
                .switchIfEmpty(Mono.fromSupplier(() -> ResponseEntity.noContent().build()));
    }
}
