package dev.keiko.activities.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.activities.ActivitiesTest;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.workflows.budget.BudgetActivities;
import dev.keiko.workflows.budget.RecordTokenUsageInput;
import dev.keiko.workflows.budget.RecordTokenUsageOutput;
import dev.keiko.workflows.budget.UserBudgetInput;
import dev.keiko.workflows.budget.UserBudgetOutput;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.task.TaskRecordActivities;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

class BudgetActivitiesTest extends ActivitiesTest {

    @Autowired
    BudgetActivities budget;

    @Autowired
    UserStore userStore;

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    @Test
    void remainingIsTheBudgetLessTodaysSpending() {
        User owner = newUser();
        userStore.update(owner.id(), null, null, 1_000L, false).block();
        String task = newTask(owner);
        budget.recordUsage(new RecordTokenUsageInput(task, 1, "gpt-4o", new TokenUsage(200, 100, 300)));

        assertThat(budget.userBudget(new UserBudgetInput(task))).isEqualTo(new UserBudgetOutput(1_000L, 700L));

        budget.recordUsage(new RecordTokenUsageInput(task, 2, "gpt-4o", new TokenUsage(800, 200, 1_000)));
        assertThat(budget.userBudget(new UserBudgetInput(task))).isEqualTo(new UserBudgetOutput(1_000L, 0L));
    }

    @Test
    void anOwnerWithoutABudgetHasNoLimit() {
        assertThat(budget.userBudget(new UserBudgetInput(newTask(newUser()))))
                .isEqualTo(new UserBudgetOutput(null, null));
    }

    @Test
    void aRetriedRecordingCountsOnce() {
        User owner = newUser();
        String task = newTask(owner);
        RecordTokenUsageInput call = new RecordTokenUsageInput(task, 1, "gpt-4o", new TokenUsage(40, 2, 42));

        RecordTokenUsageOutput first = budget.recordUsage(call);
        RecordTokenUsageOutput retry = budget.recordUsage(call);
        RecordTokenUsageOutput next = budget.recordUsage(
                new RecordTokenUsageInput(newTask(owner), 1, "gpt-4o", new TokenUsage(5, 3, 8)));

        assertThat(first).isEqualTo(new RecordTokenUsageOutput(true, 42));
        assertThat(retry).isEqualTo(new RecordTokenUsageOutput(false, 42));
        assertThat(next).isEqualTo(new RecordTokenUsageOutput(true, 50));
    }

    @Test
    void anUnknownTaskFailsWithoutRetries() {
        String unknown = UUID.randomUUID().toString();

        assertThatThrownBy(() -> budget.userBudget(new UserBudgetInput(unknown)))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo(TaskRecordActivities.MISSING_TASK);
                    assertThat(failure.isNonRetryable()).isTrue();
                });
        assertThatThrownBy(() -> budget.recordUsage(
                new RecordTokenUsageInput(unknown, 1, "gpt-4o", new TokenUsage(1, 1, 2))))
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(TaskRecordActivities.MISSING_TASK));
    }

    private User newUser() {
        return userStore.insert(uniqueName("budget"), "{noop}x", Role.USER, UserProfile.EMPTY).block();
    }

    private String newTask(User owner) {
        return tasks.insert(new NewTask(owner.id(), "completion", json.valueToTree(Map.of("prompt", "hi")),
                TaskPriority.NORMAL, 60, null, null)).block().task().id().toString();
    }
}
