package dev.keiko.domain.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
@EnableConfigurationProperties(PipeliningProperties.class)
public class NettyConnectionsAutoConfiguration {

    @Bean
    KeptAliveReads keptAliveReads() {
        return new KeptAliveReads();
    }

    @Bean
    PipelinedRequestLimit pipelinedRequestLimit(PipeliningProperties limits, ObjectProvider<MeterRegistry> registry) {
        Counter closed = Counter.builder("keiko.http.pipelining.closed")
                .description("Connections closed for sending more than keiko.http.pipelining allows ahead of"
                        + " their answers")
                .register(registry.getIfAvailable(() -> Metrics.globalRegistry));
        return new PipelinedRequestLimit(limits, closed);
    }
}
