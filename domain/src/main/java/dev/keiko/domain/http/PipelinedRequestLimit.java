package dev.keiko.domain.http;

import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Bounds what a client may send ahead of its answers on one connection. Reactor Netty keeps every request that
 * arrives while an earlier one is still being answered (HTTP/1.1 pipelining) in a queue without limit, bodies and
 * all, before any of Keiko's size limits sees them: behind one slow answer (an event stream, a sign-in while its
 * password is checked) a client could make the server hold gigabytes. A connection that has more than
 * {@value #MAX_WAITING_REQUESTS} requests, or more than {@value #MAX_WAITING_BYTES} bytes of their bodies, waiting
 * behind the answer in progress is closed: its answers cannot be sent out of order, so there is no refusal to
 * write in their place.
 */
class PipelinedRequestLimit implements NettyServerCustomizer {

    static final int MAX_WAITING_REQUESTS = 16;
    static final int MAX_WAITING_BYTES = 4 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(PipelinedRequestLimit.class);
    private static final String HANDLER = "keikoPipelinedRequestLimit";

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER, new WaitingRequests());
            }
        });
    }

    /** Counts the requests between the decoder and Reactor Netty's queue, and the answers on their way out. */
    private static final class WaitingRequests extends ChannelDuplexHandler {

        /** Requests read whose answer has not ended yet, the first being answered. */
        private int unanswered;
        /** The body bytes of each request behind the first, oldest first. */
        private final Deque<WaitingBody> waitingBodies = new ArrayDeque<>();
        private long waitingBytes;
        private boolean informationalResponse;
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
            if (waitingBodies.size() > MAX_WAITING_REQUESTS || waitingBytes > MAX_WAITING_BYTES) {
                log.warn("Closing the connection from {}: {} requests with {} bytes of bodies sent ahead of their"
                        + " answers", context.channel().remoteAddress(), waitingBodies.size(), waitingBytes);
                closing = true;
                ReferenceCountUtil.release(message);
                context.close();
                return;
            }
            context.fireChannelRead(message);
        }

        @Override
        public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
            if (message instanceof HttpResponse response) {
                informationalResponse = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            }
            if (message instanceof LastHttpContent && !informationalResponse && unanswered > 0) {
                unanswered--;
                WaitingBody next = waitingBodies.pollFirst();
                if (next != null) {
                    waitingBytes -= next.bytes;
                }
            }
            context.write(message, promise);
        }
    }

    private static final class WaitingBody {

        private long bytes;
    }
}
