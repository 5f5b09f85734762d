package dev.keiko.domain.http;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Bounds what a client may send ahead of its answers on one connection. Reactor Netty keeps every request that
 * arrives while an earlier one is still being answered (HTTP/1.1 pipelining) in a queue without limit, bodies and
 * all, before any of Keiko's size limits sees them: behind one slow answer (an event stream, a sign-in while its
 * password is checked, a large answer the client does not read) a client could make the server hold gigabytes.
 * A request waits until the answer before it has ended: written whole, and its request's operations done. A
 * connection with more requests, or more bytes of their bodies, waiting than {@link PipeliningProperties} allows is
 * closed and counted ({@code keiko.http.pipelining.closed}): its answers cannot be sent out of order, so there is
 * no refusal to write in their place.
 */
class PipelinedRequestLimit implements NettyServerCustomizer {

    private static final Logger log = LoggerFactory.getLogger(PipelinedRequestLimit.class);
    private static final String HANDLER = "keikoPipelinedRequestLimit";

    private final PipeliningProperties limits;
    private final Counter closed;

    PipelinedRequestLimit(PipeliningProperties limits, Counter closed) {
        this.limits = limits;
        this.closed = closed;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server
                .doOnChannelInit((observer, channel, address) -> {
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER, new WaitingRequests());
                    }
                })
                .childObserve((connection, state) -> {
                    if (state == ConnectionObserver.State.DISCONNECTING
                            && connection.channel().pipeline().get(HANDLER) instanceof WaitingRequests waiting) {
                        // The handler counts on the event loop, where a request's operations end but for rare cases.
                        EventLoop loop = connection.channel().eventLoop();
                        if (loop.inEventLoop()) {
                            waiting.answerEnded();
                        } else {
                            loop.execute(waiting::answerEnded);
                        }
                    }
                });
    }

    /** Counts the requests between the decoder and Reactor Netty's queue, and the bytes of those that wait. */
    private final class WaitingRequests extends ChannelInboundHandlerAdapter {

        /** Requests read whose answer has not ended yet, the first being answered. */
        private int unanswered;
        /** The body bytes of each request behind the first, oldest first. */
        private final Deque<WaitingBody> waitingBodies = new ArrayDeque<>();
        private long waitingBytes;
        private boolean closing;

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (closing) {
                ReferenceCountUtil.release(message);
                return;
            }
            if (message instanceof HttpRequest) {
                if (unanswered > 0) {
                    waitingBodies.addLast(new WaitingBody());
                }
                unanswered++;
            }
            if (message instanceof ByteBufHolder content && !waitingBodies.isEmpty()) {
                int bytes = content.content().readableBytes();
                waitingBodies.peekLast().bytes += bytes;
                waitingBytes += bytes;
            }
            if (waitingBodies.size() > limits.maxWaitingRequests()
                    || waitingBytes > limits.maxWaitingBytes().toBytes()) {
                log.debug("Closing the connection from {}: {} requests with {} bytes of bodies sent ahead of their"
                        + " answers", context.channel().remoteAddress(), waitingBodies.size(), waitingBytes);
                closed.increment();
                closing = true;
                ReferenceCountUtil.release(message);
                context.close();
                return;
            }
            context.fireChannelRead(message);
        }

        void answerEnded() {
            if (unanswered > 0) {
                unanswered--;
                WaitingBody next = waitingBodies.pollFirst();
                if (next != null) {
                    waitingBytes -= next.bytes;
                }
            }
        }
    }

    private static final class WaitingBody {

        private long bytes;
    }
}
