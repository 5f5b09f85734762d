package dev.keiko.workflows.budget;

/**
 * The owner's daily budget and what is left of it today (UTC), both null when the owner has none.
 */
public record UserBudgetOutput(Long dailyTokenBudget, Long remainingTokens) {
}
