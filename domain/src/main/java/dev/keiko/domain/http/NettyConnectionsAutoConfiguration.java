package dev.keiko.domain.http;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import reactor.netty.http.server.HttpServer;

/**
 * The connection rules of both processes' Reactor Netty servers (the API's, and the worker's probes and metrics):
 * a kept-alive connection is read again after each response ({@link KeptAliveReads}), and a client may send only
 * so much ahead of its answers ({@link PipelinedRequestLimit}).
 */
@AutoConfiguration
@ConditionalOnClass(HttpServer.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class NettyConnectionsAutoConfiguration {

    @Bean
    KeptAliveReads keptAliveReads() {
        return new KeptAliveReads();
    }

    @Bean
    PipelinedRequestLimit pipelinedRequestLimit() {
        return new PipelinedRequestLimit();
    }
}
