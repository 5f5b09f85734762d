package dev.keiko.workflows.agent;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.ArrayList;
import java.util.List;

/** A stand-in for a task workflow: keeps the slot answers and places it is sent, and ends when told. */
@WorkflowInterface
public interface SlotTakerWorkflow {

    @WorkflowMethod
    void run();

    @SignalMethod
    void slotAnswered(SlotAnswer answer);

    @SignalMethod
    void queuePlaceChanged(QueuePlace place);

    @SignalMethod
    void finish();

    @QueryMethod
    Heard heard();

    /** What the slot workflow told this one, in order. */
    record Heard(List<SlotAnswer> answers, List<QueuePlace> places) {

        public QueuePlace lastPlace() {
            return places.isEmpty() ? null : places.getLast();
        }
    }

    class Impl implements SlotTakerWorkflow {

        private final List<SlotAnswer> answers = new ArrayList<>();
        private final List<QueuePlace> places = new ArrayList<>();
        private boolean finished;

        @Override
        public void run() {
            Workflow.await(() -> finished);
        }

        @Override
        public void slotAnswered(SlotAnswer answer) {
            answers.add(answer);
        }

        @Override
        public void queuePlaceChanged(QueuePlace place) {
            places.add(place);
        }

        @Override
        public void finish() {
            finished = true;
        }

        @Override
        public Heard heard() {
            return new Heard(List.copyOf(answers), List.copyOf(places));
        }
    }
}
