package dev.keiko.api.task;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An event stream read over a plain socket with a small receive buffer, so that a test can stop reading and let
 * TCP push back on the server, then read on: the way a slow or stalled client behaves.
 */
final class RawEventStream implements AutoCloseable {

    /** One Server-Sent Event: its id (null when it has none), its name and its data. */
    record Event(String id, String event, String data) {}

    private final Socket socket;
    private final InputStream in;

    private RawEventStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    static RawEventStream open(int port, UUID taskId, String token) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/tasks/" + taskId + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + token + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        RawEventStream stream = new RawEventStream(socket);
        String status = stream.line();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("Not a stream: " + status);
        }
        while (!stream.line().isEmpty()) {
            // headers: the body is chunked, as for every streamed response
        }
        return stream;
    }

    /** The events up to the end of the stream. */
    List<Event> readToEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size; (size = Integer.parseInt(line().strip(), 16)) > 0; ) {
            body.write(in.readNBytes(size));
            line();
        }
        return parse(body.toString(StandardCharsets.UTF_8));
    }

    private static List<Event> parse(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("id:")) {
                    id = line.substring(3);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6);
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }
            if (event != null) {
                events.add(new Event(id, event, data.toString()));
            }
        }
        return events;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("The stream ended mid-line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
