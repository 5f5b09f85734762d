package dev.keiko.domain.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.budget.Reservation.Refused;
import dev.keiko.domain.budget.Reservation.Reserved;
import dev.keiko.domain.budget.Reservation.UnknownTask;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/** Reservations against a user's daily budget hold when many calls of that user reserve at once. */
class TokenReservationTest extends DomainTest {

    @Autowired
    TokenUsageStore usage;

    @Autowired
    TaskStore tasks;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @Test
    void manyParallelReservationsOfOneUserNeverPassTheDailyBudget() {
        User owner = budgeted(1_050);
        List<UUID> calls = Flux.range(0, 60).map(i -> newTask(owner)).collectList().block();

        List<Reservation> reservations = Flux.fromIterable(calls)
                .flatMap(task -> usage.reserve(new ReservationRequest(task, 1, 1, "gpt-4o", 100, 30)), 60)
                .collectList().block();

        List<Long> reserved = reservations.stream().filter(Reserved.class::isInstance)
                .map(reservation -> ((Reserved) reservation).tokens()).toList();
        assertThat(reserved.stream().mapToLong(Long::longValue).sum()).isEqualTo(1_050);
        // Ten got what they wanted, one what was left, the rest nothing.
        assertThat(reserved).filteredOn(tokens -> tokens == 100).hasSize(10);
        assertThat(reserved).filteredOn(tokens -> tokens != 100).containsExactly(50L);
        assertThat(reservations).filteredOn(Refused.class::isInstance).hasSize(49)
                .allSatisfy(refused -> assertThat(((Refused) refused).dailyTokenBudget()).isEqualTo(1_050));
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(1_050);
        assertThat(Flux.fromIterable(calls).flatMap(usage::spentByTask).reduce(0L, Long::sum).block())
                .isEqualTo(1_050);
    }

    @Test
    void aSettlementReplacesTheReservationWithTheRealUsageOnce() {
        User owner = budgeted(1_000);
        UUID task = newTask(owner);
        assertThat(usage.reserve(new ReservationRequest(task, 1, 1, "gpt-4o", 300, 50)).block())
                .isEqualTo(new Reserved(300));

        assertThat(usage.settle(task, 1, 1, "gpt-4o-2024-08-06", 40, 20, 60).block()).isTrue();
        assertThat(usage.settle(task, 1, 1, "gpt-4o-2024-08-06", 40, 20, 60).block()).isFalse();

        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(60);
        assertThat(usage.spentByTask(task).block()).isEqualTo(60);
        assertThat(state(task, 1)).isEqualTo("settled");
    }

    @Test
    void anAttemptThatReservedAgainGetsItsReservationAndReservesNothingMore() {
        User owner = budgeted(1_000);
        UUID task = newTask(owner);
        ReservationRequest request = new ReservationRequest(task, 1, 1, "gpt-4o", 300, 50);

        assertThat(usage.reserve(request).block()).isEqualTo(new Reserved(300));
        assertThat(usage.reserve(request).block()).isEqualTo(new Reserved(300));

        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(300);
    }

    @Test
    void aNewAttemptLeavesTheUnsettledOneChargedAsLost() {
        User owner = budgeted(1_000);
        UUID task = newTask(owner);
        usage.reserve(new ReservationRequest(task, 1, 1, "gpt-4o", 300, 50)).block();

        assertThat(usage.reserve(new ReservationRequest(task, 1, 2, "gpt-4o", 300, 50)).block())
                .isEqualTo(new Reserved(300));
        usage.settle(task, 1, 2, "gpt-4o", 40, 20, 60).block();

        assertThat(state(task, 1)).isEqualTo("lost");
        assertThat(state(task, 2)).isEqualTo("settled");
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(360);
        assertThat(usage.spentByTask(task).block()).isEqualTo(360);
    }

    @Test
    void tooLittleLeftRefusesAndChargesNothing() {
        User owner = budgeted(100);
        UUID task = newTask(owner);
        usage.reserve(new ReservationRequest(task, 1, 1, "gpt-4o", 80, 20)).block();

        assertThat(usage.reserve(new ReservationRequest(task, 2, 1, "gpt-4o", 80, 21)).block())
                .isEqualTo(new Refused(100, 80));
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(80);
    }

    @Test
    void anOwnerWithoutABudgetReservesNothingAndIsChargedTheUsage() {
        User owner = newUser(Role.USER);
        UUID task = newTask(owner);

        assertThat(usage.reserve(new ReservationRequest(task, 1, 1, "gpt-4o", 5_000, 50)).block())
                .isEqualTo(new Reserved(0));
        usage.settle(task, 1, 1, "gpt-4o", 100, 23, 123).block();

        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(123);
        assertThat(usage.spentByTask(task).block()).isEqualTo(123);
    }

    @Test
    void anUnknownTaskReservesNothing() {
        assertThat(usage.reserve(new ReservationRequest(UUID.randomUUID(), 1, 1, "gpt-4o", 10, 10)).block())
                .isEqualTo(new UnknownTask());
    }

    private User budgeted(long dailyBudget) {
        User user = newUser(Role.USER);
        users.update(user.id(), null, null, dailyBudget, false).block();
        return user;
    }

    private String state(UUID task, int attempt) {
        return db.sql("SELECT state FROM token_usage WHERE task_id = :task AND attempt = :attempt")
                .bind("task", task).bind("attempt", attempt)
                .map(row -> row.get("state", String.class)).one().block();
    }

    private UUID newTask(User owner) {
        return tasks.insert(new NewTask(owner.id(), "completion", json.valueToTree(Map.of("prompt", "hi")),
                TaskPriority.NORMAL, 60, null, null)).block().task().id();
    }
}
