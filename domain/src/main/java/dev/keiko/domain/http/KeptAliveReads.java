package dev.keiko.domain.http;

import io.netty.channel.Channel;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.ConnectionObserver;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServer;

/**
 * Reads a kept-alive connection again once a response ends.
 *
 * <p>Reactor Netty 1.3.6 can stop reading a keep-alive connection (reactor/reactor-netty#4361, fixed after the
 * versions this build can use). A request that arrives before the previous response has been noticed as sent
 * (one written from another thread after a password check or a database or Temporal call, or one the client
 * pipelined) is queued with the empty end of its body. When that request is answered at once, the queue still
 * holds the end of its body, so Reactor Netty leaves the next read to a later drain of the queue, which finds it
 * empty and reads nothing: the client's next request is never read, and hangs until the client gives up.
 *
 * <p>So after every response, once the tasks already queued on the connection's event loop (that drain among
 * them) have run, a connection that is still open and has no request in hand is asked for its next read. Asking
 * when a read is already pending changes nothing, and so does a read on a connection Reactor Netty is closing
 * after its answer: it drops what comes in.
 */
class KeptAliveReads implements NettyServerCustomizer {

    @Override
    public HttpServer apply(HttpServer server) {
        return server.childObserve((connection, state) -> {
            if (state == ConnectionObserver.State.DISCONNECTING) {
                Channel channel = connection.channel();
                channel.eventLoop().execute(() -> readIfNoRequestInHand(channel));
            }
        });
    }

    private static void readIfNoRequestInHand(Channel channel) {
        if (channel.isActive() && ChannelOperations.get(channel) == null) {
            channel.read();
        }
    }
}
