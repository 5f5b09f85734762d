package dev.keiko.workflows.budget;

/** Whether this call recorded the usage (false when a retry found it recorded), and the owner's total today. */
public record RecordTokenUsageOutput(boolean recorded, long ownerTokensToday) {
}
