package dev.keiko.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.user.Role;
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
 * Clients that keep their connection open get every answer, whichever thread wrote the one before. Each connection
 * alternates a request answered after a database read (off the event loop) with one refused at once (on it), and
 * sends the next as soon as the last answer is in. Raw sockets, so that every request uses the one connection and
 * nothing is retried. Before {@link EventLoopCompletion}, each connection hung within its first ten rounds.
 */
class KeepAliveConnectionTest extends ApiTestSupport {

    private static final int CONNECTIONS = 8;
    private static final int ROUNDS = 150;
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    @LocalServerPort
    int port;

    @Test
    void everyRequestOnAKeptAliveConnectionIsAnswered() throws Exception {
        TestUser user = createUser(Role.USER);
        String answeredAfterTheDatabase = "GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + user.token() + "\r\n\r\n";
        String refusedAtOnce = "GET /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\n\r\n";

        List<Future<List<String>>> connections = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                connections.add(clients.submit(() -> statusLines(List.of(answeredAfterTheDatabase, refusedAtOnce))));
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

    /** Sends the requests in turn on one connection for every round; the status line of each answer. */
    private List<String> statusLines(List<String> requests) throws IOException {
        List<String> statusLines = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            for (int round = 0; round < ROUNDS; round++) {
                for (String request : requests) {
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    try {
                        statusLines.add(readResponse(socket.getInputStream()));
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
