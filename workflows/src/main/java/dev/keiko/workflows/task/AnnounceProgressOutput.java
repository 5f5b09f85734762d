package dev.keiko.workflows.task;

/**
 * @param published whether the event went out; announcing is best effort and never fails the task
 */
public record AnnounceProgressOutput(boolean published) {
}
