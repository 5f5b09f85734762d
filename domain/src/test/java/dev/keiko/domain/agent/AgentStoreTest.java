package dev.keiko.domain.agent;

import dev.keiko.domain.page.KeysetCursor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.DomainTest;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import reactor.test.StepVerifier;

@Import(AgentStoreTest.Listening.class)
class AgentStoreTest extends DomainTest {

    @Autowired
    AgentStore agents;

    @Autowired
    PublishedAgentEvents published;

    User operator;

    @BeforeEach
    void operator() {
        operator = newUser(Role.OPERATOR);
    }

    @Test
    void storesEveryFieldAndReadsItBack() {
        AgentDefinition definition = new AgentDefinition(uniqueName(), AgentType.LLM, List.of("search", "summarise"),
                600, 3, new AgentRetryPolicy(2, 1.5, 30, 4, List.of("INVALID_ARGUMENTS")),
                List.of("everything", "other/echo"), List.of("other/echo"), "azure", "gpt-4o", "Be brief.", 12,
                50_000L);

        Agent agent = agents.insert(definition, operator.id()).block();

        assertThat(agent.definition()).isEqualTo(definition);
        assertThat(agent.active()).isFalse();
        assertThat(agent.createdBy()).isEqualTo(operator.id());
        assertThat(agent.updatedAt()).isEqualTo(agent.createdAt());
        agents.find(agent.id()).as(StepVerifier::create).expectNext(agent).verifyComplete();
        agents.findByName(definition.name()).as(StepVerifier::create).expectNext(agent).verifyComplete();
    }

    @Test
    void aTakenNameIsRefusedOnInsertAndOnRename() {
        Agent first = agents.insert(toolAgent(uniqueName()), operator.id()).block();
        Agent second = agents.insert(toolAgent(uniqueName()), operator.id()).block();

        agents.insert(toolAgent(first.definition().name()), operator.id()).as(StepVerifier::create).verifyComplete();
        agents.update(second.id(), toolAgent(first.definition().name()), operator.id())
                .as(StepVerifier::create).verifyComplete();
        assertThat(agents.find(second.id()).block()).isEqualTo(second);
    }

    @Test
    void everyChangeIsAuditedAndPublished() {
        Agent agent = agents.insert(toolAgent(uniqueName()), operator.id()).block();
        AgentDefinition renamed = toolAgent(uniqueName());

        assertThat(agents.update(agent.id(), renamed, operator.id()).block().definition()).isEqualTo(renamed);
        assertThat(agents.setActive(agent.id(), true, operator.id()).block().active()).isTrue();
        // Already active: nothing changes, nothing is audited.
        agents.setActive(agent.id(), true, operator.id()).as(StepVerifier::create).verifyComplete();
        assertThat(agents.setActive(agent.id(), false, operator.id()).block().active()).isFalse();
        assertThat(agents.delete(agent.id(), operator.id()).block().id()).isEqualTo(agent.id());
        agents.find(agent.id()).as(StepVerifier::create).verifyComplete();
        agents.delete(agent.id(), operator.id()).as(StepVerifier::create).verifyComplete();

        List<AgentEvent> trail = agents.events(agent.id(), 100).collectList().block();
        assertThat(trail).extracting(AgentEvent::type).containsExactly(AgentEventType.CREATED,
                AgentEventType.UPDATED, AgentEventType.ACTIVATED, AgentEventType.DEACTIVATED, AgentEventType.DELETED);
        assertThat(trail).allSatisfy(event -> {
            assertThat(event.agentId()).isEqualTo(agent.id());
            assertThat(event.actor()).isEqualTo(operator.id());
        });
        assertThat(published.of(agent.id())).containsExactlyElementsOf(trail);
    }

    @Test
    void pagesNewestFirstWithoutGapsOrRepeats() {
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(agents.insert(toolAgent(uniqueName()), operator.id()).block().id());
        }
        Set<UUID> seen = new HashSet<>();
        List<UUID> order = new ArrayList<>();
        KeysetCursor cursor = null;
        do {
            AgentPage page = agents.page(cursor, 2).block();
            assertThat(page.agents()).hasSizeLessThanOrEqualTo(2);
            page.agents().forEach(agent -> {
                assertThat(seen.add(agent.id())).isTrue();
                order.add(agent.id());
            });
            cursor = page.nextCursor() == null ? null : KeysetCursor.decode(page.nextCursor());
        } while (cursor != null);
        assertThat(order).containsSubsequence(created.reversed());
    }

    private static String uniqueName() {
        return "agent-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static AgentDefinition toolAgent(String name) {
        return new AgentDefinition(name, AgentType.TOOL, List.of("echo"), 300, 1, null, List.of("everything/echo"),
                null, null, null, null, null, null);
    }

    /** Every agent event published inside the application, whichever thread published it. */
    static class PublishedAgentEvents {

        private final List<AgentEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(AgentEvent event) {
            events.add(event);
        }

        List<AgentEvent> of(UUID agentId) {
            return events.stream().filter(event -> event.agentId().equals(agentId)).toList();
        }
    }

    @TestConfiguration
    static class Listening {

        @Bean
        PublishedAgentEvents publishedAgentEvents() {
            return new PublishedAgentEvents();
        }
    }
}
