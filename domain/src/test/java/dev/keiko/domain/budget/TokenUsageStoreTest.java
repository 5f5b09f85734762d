package dev.keiko.domain.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

class TokenUsageStoreTest extends DomainTest {

    @Autowired
    TokenUsageStore usage;

    @Autowired
    TaskStore tasks;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @Test
    void aStepIsRecordedOnce() {
        User owner = newUser(Role.USER);
        UUID task = newTask(owner);

        assertThat(usage.record(task, 1, "gpt-4o", 100, 20, 120).block()).isTrue();
        assertThat(usage.record(task, 1, "gpt-4o", 100, 20, 120).block()).isFalse();
        assertThat(usage.record(task, 2, "gpt-4o", 10, 5, 15).block()).isTrue();

        assertThat(usage.spentByTask(task).block()).isEqualTo(135);
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(135);
    }

    @Test
    void nothingIsRecordedForAnUnknownTask() {
        assertThat(usage.record(UUID.randomUUID(), 1, "gpt-4o", 1, 1, 2).block()).isFalse();
        assertThat(usage.ownerBudget(UUID.randomUUID()).blockOptional()).isEmpty();
    }

    @Test
    void todayCountsOnlyTheUsersChargesOfTheUtcDay() {
        User owner = newUser(Role.USER);
        User other = newUser(Role.USER);
        UUID task = newTask(owner);
        usage.record(task, 1, "gpt-4o", 30, 10, 40).block();
        usage.record(newTask(other), 1, "gpt-4o", 500, 500, 1000).block();
        db.sql("INSERT INTO token_days (user_id, day, charged) VALUES (:user, :day, 700)")
                .bind("user", owner.id()).bind("day", LocalDate.now(ZoneOffset.UTC).minusDays(1))
                .fetch().rowsUpdated().block();

        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(40);
        assertThat(usage.spentByTask(task).block()).isEqualTo(40);
        assertThat(usage.spentToday(newUser(Role.USER).id()).block()).isZero();
    }

    @Test
    void answersTheOwnersBudget() {
        User owner = newUser(Role.USER);
        UUID task = newTask(owner);

        assertThat(usage.ownerBudget(task).block()).isEqualTo(new OwnerBudget(owner.id(), null));
        users.update(owner.id(), null, null, 5_000L, false).block();
        assertThat(usage.ownerBudget(task).block()).isEqualTo(new OwnerBudget(owner.id(), 5_000L));
    }

    @Test
    void aBudgetIsSetKeptAndCleared() {
        User owner = newUser(Role.USER);

        assertThat(owner.dailyTokenBudget()).isNull();
        assertThat(users.update(owner.id(), null, null, 1_000L, false).block().dailyTokenBudget()).isEqualTo(1_000L);
        assertThat(users.update(owner.id(), Role.OPERATOR, null).block().dailyTokenBudget()).isEqualTo(1_000L);
        assertThat(users.update(owner.id(), null, null, null, true).block().dailyTokenBudget()).isNull();
    }

    private UUID newTask(User owner) {
        return tasks.insert(new NewTask(owner.id(), "tool", json.valueToTree(Map.of("tool", "echo")),
                TaskPriority.NORMAL, 60, null, null)).block().task().id();
    }
}
