package dev.keiko.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 connection to a local server, written and read byte for byte, as tests need it to check how a
 * server treats a connection kept alive: nothing pools, retries or reorders the requests.
 */
public final class KeptAliveConnection implements AutoCloseable {

    /** "\r\n\r\n" as four bytes. */
    private static final int END_OF_HEAD = 0x0d0a0d0a;

    private final Socket socket;
    private final InputStream in;

    private KeptAliveConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** A connection to 127.0.0.1 whose reads give up after {@code readTimeout}. */
    public static KeptAliveConnection open(int port, Duration readTimeout) throws IOException {
        return open(port, readTimeout, 0);
    }

    /** Likewise, with a receive buffer of {@code receiveBufferBytes} (0 for the system's) to hold back a server. */
    public static KeptAliveConnection open(int port, Duration readTimeout, int receiveBufferBytes)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port));
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
        String[] head = readHead();
        if (head.length == 1) {
            return head[0];
        }
        long contentLength = -1;
        for (String line : head) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                contentLength = Long.parseLong(line.substring(15).trim());
            }
        }
        if (contentLength < 0) {
            throw new IllegalStateException("A response without a Content-Length: " + head[0]);
        }
        in.skipNBytes(contentLength);
        return head[0];
    }

    /**
     * Reads the next response's status line and headers, and leaves its body unread (for a stream that goes on);
     * one line, "no answer" or "closed", when there was none.
     */
    public String[] readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        // The last four bytes read, to see the blank line that ends the head.
        int lastFour = 0;
        try {
            while (lastFour != END_OF_HEAD) {
                int next = in.read();
                if (next < 0) {
                    return new String[] {"closed"};
                }
                head.write(next);
                lastFour = lastFour << 8 | next;
            }
        } catch (SocketTimeoutException e) {
            return new String[] {"no answer"};
        }
        return head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    }

    /** The connection's output, for a test that streams more than one {@link #send} at a time. */
    public OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
