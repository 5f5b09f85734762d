package dev.keiko.api.http;

import io.netty.channel.EventLoop;
import org.reactivestreams.Publisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Ends every response on its connection's event loop.
 *
 * <p>Reactor Netty 1.3.6 can stop reading a keep-alive connection (reactor/reactor-netty#4361, fixed after the
 * versions this build can use). A response ended from another thread (after a password check, a database or a
 * Temporal call) is sent first and noticed as sent a moment later; a client that sends its next request in
 * between has it queued, answered, and the connection never read again, so its request after that hangs until
 * the client gives up. Ended on the event loop, a response is sent and noticed in one step, with no read in
 * between. A response that ends on the event loop already is left alone, not handed back to it later.
 *
 * <p>Reactor Netty ends a response at one of three points: a body of one buffer (sent whole, with its
 * Content-Length), a response without a body, or the end of the handler (after a streamed body).
 */
@Configuration(proxyBeanMethods = false)
class EventLoopCompletion {

    @Bean
    HttpHandlerDecoratorFactory endResponsesOnTheirEventLoop() {
        return handler -> (request, response) -> {
            // A request no Netty server received (a mock exchange) has no event loop, and no connection to keep.
            if (!(ServerHttpRequestDecorator.getNativeRequest(request) instanceof Connection connection)) {
                return handler.handle(request, response);
            }
            ConnectionLoop loop = new ConnectionLoop(connection.channel().eventLoop());
            return loop.end(handler.handle(request, new EndedOnEventLoop(response, loop)));
        };
    }

    private static final class EndedOnEventLoop extends ServerHttpResponseDecorator {

        private final ConnectionLoop loop;

        EndedOnEventLoop(ServerHttpResponse response, ConnectionLoop loop) {
            super(response);
            this.loop = loop;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            // A streamed body's parts may be written from anywhere: the response ends with the handler.
            return super.writeWith(body instanceof Mono<? extends DataBuffer> whole ? loop.deliver(whole) : body);
        }

        @Override
        public Mono<Void> setComplete() {
            return loop.subscribe(super.setComplete());
        }
    }

    /** Hands a signal that comes from another thread to the event loop; one on the event loop goes on at once. */
    private record ConnectionLoop(EventLoop eventLoop, Scheduler scheduler) {

        ConnectionLoop(EventLoop eventLoop) {
            this(eventLoop, Schedulers.fromExecutor(eventLoop));
        }

        <T> Mono<T> deliver(Mono<T> value) {
            return value.flatMap(item -> eventLoop.inEventLoop() ? Mono.just(item) : Mono.just(item).publishOn(scheduler));
        }

        Mono<Void> end(Mono<Void> ending) {
            return ending
                    .then(Mono.defer(() -> eventLoop.inEventLoop() ? Mono.<Void>empty()
                            : Mono.<Void>empty().publishOn(scheduler)))
                    .onErrorResume(error -> eventLoop.inEventLoop() ? Mono.error(error)
                            : Mono.<Void>error(error).publishOn(scheduler));
        }

        Mono<Void> subscribe(Mono<Void> action) {
            return Mono.defer(() -> eventLoop.inEventLoop() ? action : action.subscribeOn(scheduler));
        }
    }
}
