package dev.keiko.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.user.Role;
import dev.keiko.embedded.KeptAliveConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Clients that keep their connection open get every answer, whichever thread wrote the one before. A request answered
 * after a database read (off the event loop) is followed by one refused at once (on it): sent as soon as the first
 * answer is in, or pipelined with it. Without {@code dev.keiko.domain.http.KeptAliveReads} each connection hung
 * within its first ten rounds.
 */
class KeepAliveConnectionTest extends ApiTestSupport {

    private static final int CONNECTIONS = 8;
    private static final int ROUNDS = 150;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final String REFUSED_AT_ONCE = "GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @LocalServerPort
    int port;

    @Test
    void everyRequestOnAKeptAliveConnectionIsAnswered() throws Exception {
        String afterTheDatabase = answeredAfterTheDatabase(createUser(Role.USER));

        assertEveryRoundAnswered(List.of(afterTheDatabase, REFUSED_AT_ONCE));
    }

    @Test
    void everyPipelinedRequestIsAnswered() throws Exception {
        String afterTheDatabase = answeredAfterTheDatabase(createUser(Role.USER));

        assertEveryRoundAnswered(List.of(afterTheDatabase + REFUSED_AT_ONCE));
    }

    private static String answeredAfterTheDatabase(TestUser user) {
        return "GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + user.token() + "\r\n\r\n";
    }

    /** Each round sends each of the writes in turn and reads its answers, two a round: 200, then 401. */
    private void assertEveryRoundAnswered(List<String> writes) throws Exception {
        List<Future<List<String>>> connections = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                connections.add(clients.submit(() -> statusLines(writes)));
            }
        }

        for (Future<List<String>> connection : connections) {
            List<String> statusLines = connection.get();
            assertThat(statusLines).hasSize(2 * ROUNDS);
            for (int round = 0; round < ROUNDS; round++) {
                assertThat(statusLines.subList(2 * round, 2 * round + 2)).as("round %d", round)
                        .containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 401 Unauthorized");
            }
        }
    }

    /** On one connection, every round: each write in turn, then its answers; the status line of each answer. */
    private List<String> statusLines(List<String> writes) throws IOException {
        List<String> statusLines = new ArrayList<>();
        int answersPerWrite = 2 / writes.size();
        try (KeptAliveConnection connection = KeptAliveConnection.open(port, READ_TIMEOUT)) {
            for (int round = 0; round < ROUNDS; round++) {
                for (String write : writes) {
                    connection.send(write);
                    for (int answer = 0; answer < answersPerWrite; answer++) {
                        String statusLine = connection.readStatusLine();
                        statusLines.add(statusLine);
                        if (!statusLine.startsWith("HTTP/")) {
                            return statusLines;
                        }
                    }
                }
            }
        }
        return statusLines;
    }
}
