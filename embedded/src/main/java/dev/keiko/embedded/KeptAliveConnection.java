package dev.keiko.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 connection to a local server, written and read byte for byte, as tests need it to check how a
 * server treats a connection kept alive: nothing pools, retries or reorders the requests.
 */
public final class KeptAliveConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    private KeptAliveConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** A connection to 127.0.0.1 whose reads give up after {@code readTimeout}. */
    public static KeptAliveConnection open(int port, Duration readTimeout) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
        socket.setTcpNoDelay(true);
        return new KeptAliveConnection(socket);
    }

    /** Writes {@code requests} (one or more, headers and bodies, ISO-8859-1) as one write. */
    public void send(String requests) throws IOException {
        socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /**
     * Reads the next response, which must have a Content-Length, and returns its status line; "no answer" when
     * none came in time, "closed" when the server closed the connection.
     */
    public String readStatusLine() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    return "closed";
                }
                head.write(next);
            }
        } catch (SocketTimeoutException e) {
            return "no answer";
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        long contentLength = -1;
        for (String line : lines) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                contentLength = Long.parseLong(line.substring(15).trim());
            }
        }
        if (contentLength < 0) {
            throw new IllegalStateException("A response without a Content-Length: " + lines[0]);
        }
        in.skipNBytes(contentLength);
        return lines[0];
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
