package dev.keiko.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards TCP connections from a loopback port to a target until cut, as a network link that tests can
 * break: a process connected through it sees its server stop answering.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private boolean cut;

    private TcpProxy(ServerSocket server, String host, int port) {
        this.server = server;
        Thread.ofVirtual().start(() -> accept(host, port));
    }

    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), host, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxy's {@code host:port}. */
    public String target() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept(String host, int port) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(host, port);
                if (!track(client, upstream)) {
                    return;
                }
                Thread.ofVirtual().start(() -> pipe(client, upstream));
                Thread.ofVirtual().start(() -> pipe(upstream, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ended) {
            // one side closed: the other follows below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    // A connection accepted while cut() runs is closed here rather than left open behind the cut.
    private synchronized boolean track(Socket client, Socket upstream) {
        if (cut) {
            closeQuietly(client);
            closeQuietly(upstream);
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    /** Stops accepting and cuts every open connection, as a network partition would. */
    public synchronized void cut() {
        cut = true;
        closeQuietly(server);
        sockets.forEach(TcpProxy::closeQuietly);
    }

    @Override
    public void close() {
        cut();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
