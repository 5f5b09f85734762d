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
import java.net.InetSocketAddress;
import java.net.Socket;
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

    @Test
    void manySmallRequestsBehindAStreamCloseTheConnection() throws Exception {
        TestUser user = createUser(Role.USER);
        double closedBefore = closedConnections();

        long written = writtenBehindAnEventStream(user, 16 * 1024);

        // 17 waiting requests of 16 KB: the count closed it, long before 4 MB.
        assertThat(written).isLessThan(MOST_ACCEPTED_BYTES);
        assertThat(closedConnections()).isEqualTo(closedBefore + 1);
        // Nobody else is affected: the same user's next request on a new connection is answered.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get().uri("/api/v1/users/me")
                .headers(headers -> headers.setBearerAuth(user.token())).exchange().expectStatus().isOk());
    }

    @Test
    void largeBodiesBehindAStreamCloseTheConnectionAtTheByteLimit() throws Exception {
        TestUser user = createUser(Role.USER);

        long written = writtenBehindAnEventStream(user, 2 * 1024 * 1024);

        // 3 waiting bodies of 2 MB pass the 4 MB; by the count alone it would have taken 17, 34 MB.
        assertThat(written).isLessThan(24L * 1024 * 1024);
    }

    @Test
    void aBodyBehindAnAnswerTheClientDoesNotReadIsBounded() throws Exception {
        TestUser user = createUser(Role.USER);
        Task task = tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 600, null, null)).block().task();
        tasks.recordOutcome(task.id(), TaskStatus.COMPLETED,
                json.valueToTree(Map.of("text", "a".repeat(12 * 1024 * 1024))), Instant.now()).block();
        byte[] chunk = new byte[32 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        byte[] chunkHead = "8000\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] chunkEnd = "\r\n".getBytes(StandardCharsets.ISO_8859_1);

        try (Socket socket = new Socket()) {
            // The 12 MB answer stays unsent in the server while the client reads none of it.
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/tasks/" + task.id() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + user.token() + "\r\n\r\n"
                    + "POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + user.token() + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // Time to read and write the answer: it is then written whole but not done, the client reading none.
            // Counted from the write, the submission stopped waiting then and its body went uncounted.
            Thread.sleep(3_000);

            long written = writtenUntilCutOff(out, () -> {
                out.write(chunkHead);
                out.write(chunk);
                out.write(chunkEnd);
                return chunk.length;
            });

            assertThat(written).isLessThan(MOST_ACCEPTED_BYTES);
        }
    }

    /** Opens a task's event stream and sends task submissions with bodies of {@code bodyBytes} behind it. */
    private long writtenBehindAnEventStream(TestUser user, int bodyBytes) throws Exception {
        Task task = tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 600, null, null)).block().task();
        tasks.markRunning(task.id(), Instant.now()).block();
        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) ' ');
        byte[] submission = ("POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + user.token() + "\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);

        try (KeptAliveConnection connection = KeptAliveConnection.open(port, Duration.ofSeconds(10))) {
            connection.send("GET /api/v1/tasks/" + task.id() + "/events HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\nAuthorization: Bearer " + user.token() + "\r\n\r\n");
            assertThat(connection.readHead()[0]).isEqualTo("HTTP/1.1 200 OK");
            OutputStream out = connection.output();
            return writtenUntilCutOff(out, () -> {
                out.write(submission);
                out.write(body);
                return submission.length + bodyBytes;
            });
        }
    }

    /** Writes until a write fails because the server closed the connection, or the most it should accept. */
    private static long writtenUntilCutOff(OutputStream out, Write write) throws Exception {
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
        return written.get();
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
