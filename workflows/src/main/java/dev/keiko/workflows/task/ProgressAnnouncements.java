package dev.keiko.workflows.task;

import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;

/**
 * Progress events for a task's event stream that a step publishes without waiting for them. Each is sent from a
 * detached scope, so that cancelling the task leaves one in flight alone: Temporal's test server refused the
 * cancel of an announcement that was finishing (ACTIVITY_UNKNOWN), and the task stayed unfinished for good.
 */
final class ProgressAnnouncements {

    private ProgressAnnouncements() {
    }

    static void announce(String taskId, String message) {
        TaskRecordActivities announcer = Workflow.newActivityStub(TaskRecordActivities.class,
                TaskActivityOptions.announcement());
        Workflow.newDetachedCancellationScope(() -> Async.function(announcer::announceProgress,
                new AnnounceProgressInput(taskId, message)).handle((announced, failure) -> announced)).run();
    }
}
