package dev.keiko.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.embedded.KeptAliveConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client that sends request after request behind an answer in progress is cut off once more wait than
 * {@code keiko.http.pipelining} allows (16 requests, 4 MB of bodies). Without the limit the server read about 300 MB
 * a second of such requests into memory behind an event stream, and kept reading; with a limit counted from when an
 * answer is written rather than done, a client that did not read a large answer made it hold 512 MB.
 */
class PipelinedRequestLimitTest extends ApiTestSupport {

    /** Far above either limit plus what the sockets' buffers hold, far below what an unbounded server reads. */
    private static final long MOST_ACCEPTED_BYTES = 64L * 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DatabaseClient database;

    @Test
    void manyRequestsBehindAStreamCloseTheConnection() throws Exception {
        TestUser user = createUser(Role.USER);
        double closedBefore = closedConnections();
        // No bodies: only the count of waiting requests can close the connection.
        byte[] request = ("GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + user.token()
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

        writeBehindAnEventStreamUntilCutOff(user, request);

        assertThat(closedConnections()).isEqualTo(closedBefore + 1);
        // Nobody else is affected: the same user's next request on a new connection is answered.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get().uri("/api/v1/users/me")
                .headers(headers -> headers.setBearerAuth(user.token())).exchange().expectStatus().isOk());
    }

    @Test
    void largeBodiesBehindAStreamCloseTheConnection() throws Exception {
        TestUser user = createUser(Role.USER);
        // Two waiting 4 MB bodies pass the byte limit; the count alone would wait for 17, 68 MB.
        int bodyBytes = 4 * 1024 * 1024;
        byte[] head = ("POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + user.token() + "\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] submission = Arrays.copyOf(head, head.length + bodyBytes);
        Arrays.fill(submission, head.length, submission.length, (byte) ' ');

        writeBehindAnEventStreamUntilCutOff(user, submission);
    }

    @Test
    void aBodyBehindAnAnswerTheClientDoesNotReadIsBounded() throws Exception {
        TestUser user = createUser(Role.USER);
        Task task = tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 600, null, null)).block().task();
        // Four times what the server's socket may buffer (tcp_wmem's most here is 4 MB).
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED,
                json.valueToTree(Map.of("text", "a".repeat(16 * 1024 * 1024))), Instant.now()).block();
        byte[] chunk = new byte[32 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        byte[] chunkHead = "8000\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] chunkEnd = "\r\n".getBytes(StandardCharsets.ISO_8859_1);

        try (KeptAliveConnection connection = KeptAliveConnection.open(port, Duration.ofSeconds(30), 4096)) {
            connection.send("GET /api/v1/tasks/" + task.id() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + user.token() + "\r\n\r\n"
                    + "POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + user.token() + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            // The answer is written whole (one response, its head first) but not done: the client reads no more.
            // Counted from the write, the submission stopped waiting then and its body went uncounted.
            assertThat(connection.readHead()[0]).isEqualTo("HTTP/1.1 200 OK");
            OutputStream out = connection.output();

            writeUntilCutOff(out, () -> {
                out.write(chunkHead);
                out.write(chunk);
                out.write(chunkEnd);
                return chunk.length;
            });
        } finally {
            // Lists that show results would otherwise carry 16 MB for the tests after this one.
            database.sql("DELETE FROM tasks WHERE id = :id").bind("id", task.id()).then().block();
        }
    }

    /** Opens a task's event stream and sends {@code request} again and again behind it until cut off. */
    private void writeBehindAnEventStreamUntilCutOff(TestUser user, byte[] request) throws Exception {
        Task task = tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 600, null, null)).block().task();
        tasks.markRunning(task.id(), Instant.now()).block();

        try (KeptAliveConnection connection = KeptAliveConnection.open(port, Duration.ofSeconds(10))) {
            connection.send("GET /api/v1/tasks/" + task.id() + "/events HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\nAuthorization: Bearer " + user.token() + "\r\n\r\n");
            assertThat(connection.readHead()[0]).isEqualTo("HTTP/1.1 200 OK");
            OutputStream out = connection.output();
            writeUntilCutOff(out, () -> {
                out.write(request);
                return request.length;
            });
        }
    }

    /** Writes until a write fails as the server closes the connection; fails past the most it should accept. */
    private static void writeUntilCutOff(OutputStream out, Write write) throws Exception {
        AtomicLong written = new AtomicLong();
        CompletableFuture<IOException> cutOff = CompletableFuture.supplyAsync(() -> {
            try {
                while (written.get() < MOST_ACCEPTED_BYTES) {
                    written.addAndGet(write.next());
                }
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        assertThat(cutOff.get(30, TimeUnit.SECONDS)).as("the write that fails once the server closes the"
                + " connection; %d bytes written", written.get()).isNotNull();
    }

    private double closedConnections() {
        return meters.get("keiko.http.pipelining.closed").counter().count();
    }

    @FunctionalInterface
    private interface Write {

        /** Writes the next piece; how many bytes it was. */
        long next() throws IOException;
    }
}
