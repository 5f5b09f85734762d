package dev.keiko.activities.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model that writes its answer slowly, a word every {@link #WORD_INTERVAL} for half a minute, on any path, and
 * notices when the client goes away: its next write fails. WireMock cannot tell that.
 */
final class SlowStreamServer implements AutoCloseable {

    static final Duration WORD_INTERVAL = Duration.ofMillis(50);
    private static final int WORDS = 600;

    private final HttpServer server;
    private final AtomicInteger wordsSent = new AtomicInteger();
    private final CountDownLatch clientLeft = new CountDownLatch(1);

    SlowStreamServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int wordsSent() {
        return wordsSent.get();
    }

    /** Whether the client went away within that time. */
    boolean clientLeftWithin(Duration timeout) throws InterruptedException {
        return clientLeft.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static String word(int number) {
        return "w" + number + " ";
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            for (int number = 0; number < WORDS; number++) {
                String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"slow-model\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word(number) + "\"},"
                        + "\"finish_reason\":null}]}";
                body.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
                body.flush();
                wordsSent.incrementAndGet();
                Thread.sleep(WORD_INTERVAL);
            }
        } catch (IOException gone) {
            clientLeft.countDown();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
