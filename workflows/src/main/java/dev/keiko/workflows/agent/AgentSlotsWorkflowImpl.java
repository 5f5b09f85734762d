package dev.keiko.workflows.agent;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * See {@link AgentSlotsWorkflow}. Signal handlers only queue what they were told; the main loop applies it,
 * hands out slots, tells waiters their place and checks the holders, so that every change happens in one place
 * and a continued run carries exactly what this one knew. Places in line are told as {@link PlaceNotices} says:
 * the first ten after every change, a newcomer further back once.
 */
public class AgentSlotsWorkflowImpl implements AgentSlotsWorkflow {

    private static final Logger log = Workflow.getLogger(AgentSlotsWorkflowImpl.class);
    /**
     * From version 1 a run rereads the limits at every check and keeps checking while tasks only wait, so that a
     * change whose {@code refreshLimits} signal was lost still takes effect; and a new run rebuilds its holders
     * and line from PostgreSQL, so that a slot workflow ended from outside and started again keeps the limit.
     */
    private static final String SELF_HEALING_CHANGE = "limits-reread-and-line-rebuilt";

    // A short PostgreSQL read, retried without limit: limits must never be guessed.
    private final AgentSlotActivities limitsReader = Workflow.newActivityStub(AgentSlotActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                    .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(500))
                            .setMaximumInterval(Duration.ofSeconds(10)).build())
                    .build());
    // A failed check is skipped: the next one comes an interval later.
    private final AgentSlotActivities checker = Workflow.newActivityStub(AgentSlotActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                    .build());

    private final List<Runnable> inbox = new ArrayList<>();
    private final Set<String> holders = new LinkedHashSet<>();
    private final Map<String, Promise<Void>> grants = new LinkedHashMap<>();
    private final List<Promise<Void>> refusals = new ArrayList<>();
    private final PlaceNotices places = new PlaceNotices();
    private final Set<String> released = new LinkedHashSet<>();
    private SlotLine line = new SlotLine(List.of());
    private AgentLimits limits = AgentLimits.UNKNOWN;
    private String agentId;
    private boolean refreshRequested;
    private boolean selfHealing;
    private Promise<Void> check;

    @Override
    public void run(AgentSlotsInput input) {
        agentId = input.agentId();
        selfHealing = Workflow.getVersion(SELF_HEALING_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        restore(input.carried());
        if (selfHealing && !input.carried().started()) {
            rebuild();
        } else {
            limits = readLimits();
        }
        while (true) {
            applyInbox();
            settleGrants();
            serve();
            if (!limits.found() && holders.isEmpty() && line.isEmpty() && drained()) {
                log.info("agent {} is deleted and nothing holds or waits for its slots: ending", agentId);
                return;
            }
            if (Workflow.getInfo().isContinueAsNewSuggested()
                    || Workflow.getInfo().getHistoryLength() >= input.maxHistoryEvents()) {
                continueAsNew(input);
                return;
            }
            if (check == null && (!holders.isEmpty() || (selfHealing && !line.isEmpty()))) {
                check = Workflow.newTimer(Duration.ofSeconds(input.checkIntervalSeconds()));
            }
            Workflow.await(() -> !inbox.isEmpty() || refreshRequested || aGrantSettled()
                    || (check != null && check.isCompleted()));
            if (refreshRequested) {
                refreshRequested = false;
                limits = readLimits();
            }
            if (check != null && check.isCompleted()) {
                check = null;
                if (selfHealing) {
                    rereadLimits();
                }
                freeEndedHolders();
            }
        }
    }

    @Override
    public void requestSlot(SlotRequest request) {
        inbox.add(() -> {
            // A request that arrives after its task released (a late attempt of the request activity) is stale.
            if (!holders.contains(request.taskWorkflowId()) && !line.contains(request.taskWorkflowId())
                    && !(selfHealing && released.contains(request.taskWorkflowId()))) {
                line.add(request);
            }
        });
    }

    @Override
    public void releaseSlot(SlotRelease release) {
        inbox.add(() -> {
            remember(release.taskWorkflowId());
            if (!holders.remove(release.taskWorkflowId()) && line.remove(release.taskWorkflowId())) {
                places.forget(release.taskWorkflowId());
            }
        });
    }

    @Override
    public void refreshLimits() {
        refreshRequested = true;
    }

    @Override
    public AgentSlotsView slots() {
        return new AgentSlotsView(limits, List.copyOf(holders),
                line.all().stream().map(SlotRequest::taskWorkflowId).toList());
    }

    /** Puts the carried state first: signals that came before the run began join behind it. */
    private void restore(AgentSlotsInput.SlotsState carried) {
        holders.addAll(carried.holders());
        line = new SlotLine(carried.waiting());
        released.addAll(carried.released());
        if (carried.started()) {
            limits = carried.limits();
            if (selfHealing) {
                places.restored(line.all(), limits.active());
            }
        }
    }

    /**
     * A new run (the first, or one started again after this workflow was ended from outside): the tasks
     * PostgreSQL holds as running hold slots, and those it holds as pending wait in line, each in its place.
     * Requests already signalled keep theirs; a task that has ended since is found by the check, and a grant to
     * a workflow that does not run is taken back.
     */
    private void rebuild() {
        ReadLimitsOutput read = limitsReader.readLimits(new ReadLimitsInput(agentId, true));
        limits = read.limits();
        holders.addAll(read.running());
        for (SlotRequest pending : read.pending()) {
            if (!holders.contains(pending.taskWorkflowId()) && !line.contains(pending.taskWorkflowId())) {
                line.add(pending);
            }
        }
    }

    private void remember(String taskWorkflowId) {
        released.remove(taskWorkflowId);
        released.add(taskWorkflowId);
        if (released.size() > AgentSlotsInput.SlotsState.RELEASED_KEPT) {
            released.remove(released.iterator().next());
        }
    }

    private void applyInbox() {
        while (!inbox.isEmpty()) {
            inbox.removeFirst().run();
        }
    }

    /** Hands out free slots, or refuses everyone when the agent is gone, then tells waiters their places. */
    private void serve() {
        if (!limits.found()) {
            for (SlotRequest refused : line.all()) {
                line.remove(refused.taskWorkflowId());
                places.forget(refused.taskWorkflowId());
                refusals.add(TaskSignals.send(refused.taskWorkflowId(), TaskSignals.SLOT_ANSWERED,
                        new SlotAnswer(agentId, false)));
            }
            return;
        }
        while (limits.active() && holders.size() < limits.maxConcurrentTasks() && !line.isEmpty()) {
            String granted = line.poll().taskWorkflowId();
            places.forget(granted);
            holders.add(granted);
            grants.put(granted, TaskSignals.send(granted, TaskSignals.SLOT_ANSWERED, new SlotAnswer(agentId, true)));
        }
        places.tell(line.all(), limits.active());
    }

    /** Takes back every slot whose grant could not be delivered: its task workflow no longer runs. */
    private void settleGrants() {
        Iterator<Map.Entry<String, Promise<Void>>> sent = grants.entrySet().iterator();
        while (sent.hasNext()) {
            Map.Entry<String, Promise<Void>> grant = sent.next();
            if (grant.getValue().isCompleted()) {
                sent.remove();
                if (grant.getValue().getFailure() != null && holders.remove(grant.getKey())) {
                    log.info("slot of agent {} taken back from {}: {}", agentId, grant.getKey(),
                            grant.getValue().getFailure().getMessage());
                }
            }
        }
    }

    private boolean aGrantSettled() {
        return grants.values().stream().anyMatch(Promise::isCompleted);
    }

    private void freeEndedHolders() {
        if (holders.isEmpty()) {
            return;
        }
        try {
            List<String> ended = checker.findEndedTasks(new FindEndedTasksInput(List.copyOf(holders)))
                    .endedTaskWorkflowIds();
            if (!ended.isEmpty()) {
                log.info("slots of agent {} freed from ended task workflows {}", agentId, ended);
                ended.forEach(holders::remove);
            }
        } catch (ActivityFailure e) {
            log.warn("checking the holders of agent {} failed; checking again later", agentId, e);
        }
    }

    /** Waits for every signal this run sent and every handler; false when something new came meanwhile. */
    private boolean drained() {
        Workflow.await(() -> Workflow.isEveryHandlerFinished() && grants.values().stream().allMatch(Promise::isCompleted)
                && refusals.stream().allMatch(Promise::isCompleted) && places.delivered());
        settleGrants();
        refusals.clear();
        return inbox.isEmpty() && !refreshRequested;
    }

    private void continueAsNew(AgentSlotsInput input) {
        drained();
        applyInbox();
        settleGrants();
        log.info("slots of agent {} continue as new with {} holders and {} waiting", agentId, holders.size(),
                line.all().size());
        Workflow.continueAsNew(input.continuedWith(
                new AgentSlotsInput.SlotsState(true, limits, List.copyOf(holders), line.all(), List.copyOf(released))));
    }

    /** At a check: a read that fails keeps the limits known, so that the line keeps moving while PostgreSQL is away. */
    private void rereadLimits() {
        try {
            limits = checker.readLimits(new ReadLimitsInput(agentId)).limits();
        } catch (ActivityFailure e) {
            log.warn("reading the limits of agent {} failed; keeping those known", agentId, e);
        }
    }

    private AgentLimits readLimits() {
        return limitsReader.readLimits(new ReadLimitsInput(agentId)).limits();
    }
}
