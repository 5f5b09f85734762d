package dev.keiko.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.user.Role;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
 * answer is in, or pipelined with it. Raw sockets, so that every request uses the one connection and nothing is
 * retried. Without {@link KeptAliveReads} each connection hung within its first ten rounds.
 */
class KeepAliveConnectionTest extends ApiTestSupport {

    private static final int CONNECTIONS = 8;
    private static final int ROUNDS = 150;
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    @LocalServerPort
    int port;

    private static final String REFUSED_AT_ONCE = "GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\n\r\n";

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

    /** Each round writes each of the writes in turn and reads its answers, two a round: 200, then 401. */
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
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int answersPerWrite = 2 / writes.size();
            for (int round = 0; round < ROUNDS; round++) {
                for (String write : writes) {
                    socket.getOutputStream().write(write.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    try {
                        for (int answer = 0; answer < answersPerWrite; answer++) {
                            statusLines.add(readResponse(in));
                        }
                    } catch (SocketTimeoutException e) {
                        statusLines.add("no answer within " + READ_TIMEOUT_MILLIS + " ms");
                        return statusLines;
                    }
                }
            }
        }
        return statusLines;
    }

    /** Reads one response with a Content-Length (all of these have one); its status line. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                return "connection closed after: " + head.toString(StandardCharsets.ISO_8859_1);
            }
            head.write(next);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int contentLength = -1;
        for (String line : lines) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(contentLength).as("Content-Length of %s", lines[0]).isNotNegative();
        in.readNBytes(contentLength);
        return lines[0];
    }
}
