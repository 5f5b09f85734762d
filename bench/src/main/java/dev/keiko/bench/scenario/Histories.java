package dev.keiko.bench.scenario;

import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a task workflow's history (every run of it, across continue-as-new) says: events and bytes per run, and where
 * the time went, from the server's event timestamps: workflow tasks waiting in their queue (scheduled to started) and
 * running on a worker (started to completed), and each activity type's queue time and run time.
 */
final class Histories {

    private Histories() {
    }

    /** One run's size. */
    record Run(String runId, int events, long bytes) {
    }

    /** One activity execution's times (epoch milliseconds, the server's clock); completed is NaN if it did not. */
    record Activity(String type, double scheduled, double started, double completed) {
    }

    /**
     * A workflow's runs, oldest first, its time by phase (milliseconds, summed over all runs), its activities in the
     * order they were scheduled, and the span from its first event to its last (epoch milliseconds).
     */
    record Summary(List<Run> runs, Map<String, Phase> phases, List<Activity> activities, double firstEvent,
            double lastEvent) {

        /** Milliseconds of the workflow's span when no activity was scheduled or running. */
        double withoutActivities() {
            List<double[]> spans = activities.stream().filter(a -> !Double.isNaN(a.completed()))
                    .map(a -> new double[] {a.scheduled(), a.completed()})
                    .sorted(java.util.Comparator.comparingDouble(span -> span[0])).toList();
            double covered = 0;
            double from = Double.NaN;
            double to = Double.NaN;
            for (double[] span : spans) {
                if (Double.isNaN(from) || span[0] > to) {
                    if (!Double.isNaN(from)) {
                        covered += to - from;
                    }
                    from = span[0];
                    to = span[1];
                } else {
                    to = Math.max(to, span[1]);
                }
            }
            if (!Double.isNaN(from)) {
                covered += to - from;
            }
            return lastEvent - firstEvent - covered;
        }

        Run largestByEvents() {
            return runs.stream().max(java.util.Comparator.comparingInt(Run::events)).orElse(null);
        }

        Run largestByBytes() {
            return runs.stream().max(java.util.Comparator.comparingLong(Run::bytes)).orElse(null);
        }

        int totalEvents() {
            return runs.stream().mapToInt(Run::events).sum();
        }

        long totalBytes() {
            return runs.stream().mapToLong(Run::bytes).sum();
        }
    }

    /** How many times a phase happened and how long it took in all. */
    record Phase(double count, double totalMillis) {
    }

    /** Reads every run of {@code workflowId}, from its latest back through each run's predecessor. */
    static Summary of(WorkflowClient client, String workflowId) {
        List<Run> runs = new ArrayList<>();
        Map<String, Phase> phases = new TreeMap<>();
        List<Activity> activities = new ArrayList<>();
        double lastEvent = Double.NaN;
        double firstEvent = Double.NaN;
        WorkflowExecutionHistory latest = client.fetchHistory(workflowId);
        String runId = latest.getWorkflowExecution().getRunId();
        History history = latest.getHistory();
        for (int guard = 0; guard < 10_000; guard++) {
            runs.add(0, new Run(runId, history.getEventsCount(), history.getSerializedSize()));
            activities.addAll(0, addPhases(history, phases));
            HistoryEvent first = history.getEvents(0);
            firstEvent = millis(first.getEventTime());
            if (Double.isNaN(lastEvent)) {
                lastEvent = millis(history.getEvents(history.getEventsCount() - 1).getEventTime());
            }
            String previous = first.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
            if (previous == null || previous.isEmpty()) {
                break;
            }
            runId = previous;
            history = client.fetchHistory(workflowId, runId).getHistory();
        }
        return new Summary(runs, phases, activities, firstEvent, lastEvent);
    }

    /** One event of a history: its type (without the EVENT_TYPE_ prefix), when (epoch ms, the server's clock). */
    record Event(String type, double at) {
    }

    /** The events of one run's history, in order. */
    static List<Event> events(History history) {
        List<Event> events = new ArrayList<>();
        for (HistoryEvent event : history.getEventsList()) {
            events.add(new Event(event.getEventType().name().replace("EVENT_TYPE_", ""),
                    millis(event.getEventTime())));
        }
        return events;
    }

    /** When the first event of {@code type} happened (epoch ms), or NaN. */
    static double first(List<Event> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).mapToDouble(Event::at).findFirst()
                .orElse(Double.NaN);
    }

    /** When the run's last activity of {@code type} completed (epoch ms), or NaN. */
    static double lastCompleted(History history, String type) {
        return addPhases(history, new HashMap<>()).stream().filter(a -> a.type().equals(type))
                .mapToDouble(Activity::completed).reduce((a, b) -> b).orElse(Double.NaN);
    }

    private static List<Activity> addPhases(History history, Map<String, Phase> phases) {
        Map<Long, HistoryEvent> byId = new HashMap<>();
        Map<Long, String> activityTypes = new HashMap<>();
        Map<Long, double[]> activityTimes = new LinkedHashMap<>();
        for (HistoryEvent event : history.getEventsList()) {
            byId.put(event.getEventId(), event);
            EventType type = event.getEventType();
            switch (type) {
                case EVENT_TYPE_WORKFLOW_TASK_STARTED -> add(phases, "workflow task: queued (scheduled to started)",
                        between(byId.get(event.getWorkflowTaskStartedEventAttributes().getScheduledEventId()),
                                event));
                case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> add(phases, "workflow task: on the worker (started to"
                        + " completed)", between(byId.get(event.getWorkflowTaskCompletedEventAttributes()
                                .getStartedEventId()), event));
                case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
                    activityTypes.put(event.getEventId(),
                            event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
                    activityTimes.put(event.getEventId(), new double[] {millis(event.getEventTime()), Double.NaN,
                            Double.NaN});
                }
                case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
                    long scheduled = event.getActivityTaskStartedEventAttributes().getScheduledEventId();
                    activityTimes.get(scheduled)[1] = millis(event.getEventTime());
                    add(phases, "activity " + activityTypes.get(scheduled) + ": queued (scheduled to started)",
                            between(byId.get(scheduled), event));
                }
                case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
                    var attributes = event.getActivityTaskCompletedEventAttributes();
                    activityTimes.get(attributes.getScheduledEventId())[2] = millis(event.getEventTime());
                    add(phases, "activity " + activityTypes.get(attributes.getScheduledEventId())
                            + ": running (started to completed)", between(byId.get(attributes.getStartedEventId()),
                                    event));
                }
                case EVENT_TYPE_MARKER_RECORDED -> add(phases, "marker " + event.getMarkerRecordedEventAttributes()
                        .getMarkerName() + " (local activity or version)", 0);
                default -> {
                }
            }
        }
        List<Activity> activities = new ArrayList<>();
        activityTimes.forEach((id, times) -> activities.add(new Activity(activityTypes.get(id), times[0], times[1],
                times[2])));
        return activities;
    }

    private static void add(Map<String, Phase> phases, String name, double millis) {
        phases.merge(name, new Phase(1, millis), (a, b) -> new Phase(a.count() + b.count(),
                a.totalMillis() + b.totalMillis()));
    }

    private static double between(HistoryEvent from, HistoryEvent to) {
        if (from == null || to == null) {
            return 0;
        }
        return millis(to.getEventTime()) - millis(from.getEventTime());
    }

    private static double millis(Timestamp time) {
        return time.getSeconds() * 1000.0 + time.getNanos() / 1e6;
    }

    /** Phases of several workflows: each phase's count and time per workflow, on average. */
    static Map<String, Phase> perWorkflow(List<Summary> summaries) {
        Map<String, Phase> sums = new LinkedHashMap<>();
        for (Summary summary : summaries) {
            summary.phases().forEach((name, phase) -> sums.merge(name, phase,
                    (a, b) -> new Phase(a.count() + b.count(), a.totalMillis() + b.totalMillis())));
        }
        Map<String, Phase> mean = new TreeMap<>();
        int n = Math.max(1, summaries.size());
        sums.forEach((name, phase) -> mean.put(name, new Phase(phase.count() / n, phase.totalMillis() / n)));
        return mean;
    }
}
