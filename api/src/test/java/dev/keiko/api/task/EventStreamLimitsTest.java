package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.LimitsTestSupport;
import dev.keiko.api.auth.AccessTokens;
import dev.keiko.api.auth.AuthProperties;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * Event streams here: 2 per user; a user check every 300 ms. Tasks stay pending (no worker runs), so a
 * stream ends only when its token or its user says so.
 */
class EventStreamLimitsTest extends LimitsTestSupport {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() { };

    @Autowired
    TaskStore tasks;

    @Autowired
    UserStore users;

    @Autowired
    JwtEncoder encoder;

    @Autowired
    JsonMapper json;

    @Test
    void oneStreamMoreThanTheCapIsRefusedBeforeItStarts() {
        TestUser user = createUser(Role.USER);
        Task task = pendingTask(user);
        Flux<ServerSentEvent<String>> first = open(user.token(), task);
        Flux<ServerSentEvent<String>> second = open(user.token(), task);

        ProblemBody refused = ProblemBody.expect(request(user.token(), task), 429);
        TestUser other = createUser(Role.USER);
        Flux<ServerSentEvent<String>> othersStream = open(other.token(), pendingTask(other));

        assertThat(refused.detail()).contains("2 event streams open");
        first.subscribe().dispose();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                request(user.token(), task).expectStatus().isOk().returnResult(EVENTS).getResponseBody()
                        .subscribe().dispose());
        second.subscribe().dispose();
        othersStream.subscribe().dispose();
    }

    @Test
    void refusalsOfAStreamAreProblemsEvenToAnEventStreamClient() {
        TestUser user = createUser(Role.USER);

        ProblemBody.expect(web.get().uri("/api/v1/tasks/{id}/events", UUID.randomUUID())
                .headers(headers -> headers.setBearerAuth(user.token()))
                .accept(MediaType.TEXT_EVENT_STREAM).exchange(), 404);
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() {
        TestUser user = createUser(Role.USER);
        Task task = pendingTask(user);
        AccessTokens shortLived = new AccessTokens(encoder, new AuthProperties(JWT_SECRET, Duration.ofSeconds(3), null));
        String token = shortLived.issue(users.findById(user.id()).block()).accessToken();

        long opened = System.nanoTime();
        List<ServerSentEvent<String>> events = open(token, task).collectList().block(Duration.ofSeconds(10));
        Duration lasted = Duration.ofNanos(System.nanoTime() - opened);

        assertThat(events.getFirst().event()).isEqualTo("status");
        assertClosed(events, StreamClosedView.TOKEN_EXPIRED);
        // exp has whole seconds, so the stream may end up to a second before three have passed.
        assertThat(lasted).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
    }

    @Test
    void aStreamEndsSoonAfterItsUserIsDeactivated() throws Exception {
        TestUser admin = createUser(Role.ADMIN);
        TestUser user = createUser(Role.USER);
        CompletableFuture<List<ServerSentEvent<String>>> events = open(user.token(), pendingTask(user))
                .collectList().toFuture();

        change(admin, user, Map.of("active", false));

        assertClosed(events.get(3, TimeUnit.SECONDS), StreamClosedView.USER_DEACTIVATED);
    }

    @Test
    void aStreamEndsSoonAfterItsUsersRoleChanges() throws Exception {
        TestUser admin = createUser(Role.ADMIN);
        TestUser user = createUser(Role.USER);
        CompletableFuture<List<ServerSentEvent<String>>> events = open(user.token(), pendingTask(user))
                .collectList().toFuture();

        change(admin, user, Map.of("role", "viewer"));

        assertClosed(events.get(3, TimeUnit.SECONDS), StreamClosedView.ROLE_CHANGED);
    }

    private void assertClosed(List<ServerSentEvent<String>> events, String reason) {
        ServerSentEvent<String> last = events.getLast();
        assertThat(last.event()).isEqualTo("closed");
        assertThat(json.readValue(last.data(), StreamClosedView.class)).isEqualTo(new StreamClosedView(reason));
    }

    private void change(TestUser admin, TestUser user, Map<String, Object> change) {
        web.patch().uri("/api/v1/users/{id}", user.id()).headers(headers -> headers.setBearerAuth(admin.token()))
                .bodyValue(change).exchange().expectStatus().isOk();
    }

    private Task pendingTask(TestUser owner) {
        return tasks.insert(new NewTask(owner.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 600, null, "h")).block().task();
    }

    /** An open stream: the response has started, so the stream holds its place. */
    private Flux<ServerSentEvent<String>> open(String token, Task task) {
        return request(token, task).expectStatus().isOk().returnResult(EVENTS).getResponseBody();
    }

    private WebTestClient.ResponseSpec request(String token, Task task) {
        return web.get().uri("/api/v1/tasks/{id}/events", task.id()).headers(headers -> headers.setBearerAuth(token))
                .accept(MediaType.TEXT_EVENT_STREAM).exchange();
    }
}
