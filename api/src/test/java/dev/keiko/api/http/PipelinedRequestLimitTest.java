package dev.keiko.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import java.io.IOException;
import java.io.OutputStream;
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
 * A client that keeps an event stream open and sends request after request behind it is cut off once it has sent
 * more than {@code dev.keiko.domain.http.PipelinedRequestLimit} lets wait. Without the limit the server read about
 * 300 MB a second of such requests into memory, and kept reading.
 */
class PipelinedRequestLimitTest extends ApiTestSupport {

    private static final int BODY_BYTES = 64 * 1024;
    /** Far above the limit plus what the two sockets' buffers hold, far below what an unbounded server reads. */
    private static final long MOST_ACCEPTED_BYTES = 64L * 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    @Test
    void requestsPiledUpBehindAStreamCloseTheConnection() throws Exception {
        TestUser user = createUser(Role.USER);
        Task task = tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 600, null, null)).block().task();
        tasks.markRunning(task.id(), Instant.now()).block();
        byte[] body = new byte[BODY_BYTES];
        Arrays.fill(body, (byte) ' ');
        byte[] submission = ("POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + user.token() + "\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        AtomicLong written = new AtomicLong();

        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/tasks/" + task.id() + "/events HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\nAuthorization: Bearer " + user.token() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            CompletableFuture<IOException> cutOff = CompletableFuture.supplyAsync(() -> {
                try {
                    while (written.get() < MOST_ACCEPTED_BYTES) {
                        out.write(submission);
                        out.write(body);
                        written.addAndGet(submission.length + BODY_BYTES);
                    }
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });

            assertThat(cutOff.get(30, TimeUnit.SECONDS)).as("the write that fails once the server closes the"
                    + " connection; %d bytes written", written.get()).isNotNull();
        }
        assertThat(written.get()).isLessThan(MOST_ACCEPTED_BYTES);
        // Nobody else is affected: the same user's next request on a new connection is answered.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get().uri("/api/v1/users/me")
                .headers(headers -> headers.setBearerAuth(user.token())).exchange().expectStatus().isOk());
    }
}
