package dev.keiko.workflows.budget;

/** Whose budget: the owner of this task. */
public record UserBudgetInput(String taskId) {
}
