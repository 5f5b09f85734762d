package dev.keiko.api.problem;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Gives a body to the refusals Reactor Netty sends itself, before Spring sees the request: a request line
 * over its limit (414), headers over theirs (431) or bytes that are not HTTP (400) otherwise answer with
 * no body at all. They now answer problem+json like every other refusal.
 */
@Component
class HttpDecodingProblems implements NettyServerCustomizer {

    private static final String HANDLER = "keikoDecodingFailureProblems";
    private static final Set<Integer> DECODING_FAILURES = Set.of(400, 413, 414, 431);

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER, new ProblemBodies());
            }
        });
    }

    /** Fills the bare refusal Reactor Netty writes for a request it could not decode, and closes after. */
    private static final class ProblemBodies extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
            if (message instanceof FullHttpResponse response && isBareRefusal(response)) {
                byte[] body = problem(response.status()).getBytes(StandardCharsets.UTF_8);
                FullHttpResponse filled = response.replace(Unpooled.wrappedBuffer(body));
                response.release();
                filled.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                context.write(filled, promise);
                return;
            }
            context.write(message, promise);
        }

        private static boolean isBareRefusal(FullHttpResponse response) {
            return DECODING_FAILURES.contains(response.status().code()) && !response.content().isReadable()
                    && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)
                    && response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        }

        private static String problem(HttpResponseStatus status) {
            String detail = switch (status.code()) {
                case 413 -> "The request is larger than this server accepts";
                case 414 -> "The request line is longer than this server accepts";
                case 431 -> "The request's headers are larger than this server accepts";
                default -> "The request is not valid HTTP";
            };
            return "{\"type\":\"about:blank\",\"title\":\"" + status.reasonPhrase() + "\",\"status\":" + status.code()
                    + ",\"detail\":\"" + detail + "\"}";
        }
    }
}
