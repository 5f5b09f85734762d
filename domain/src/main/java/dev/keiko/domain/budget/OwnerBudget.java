package dev.keiko.domain.budget;

import java.util.UUID;

/** Who owns a task, and that user's daily token budget (null when unlimited). */
public record OwnerBudget(UUID ownerId, Long dailyTokenBudget) {
}
