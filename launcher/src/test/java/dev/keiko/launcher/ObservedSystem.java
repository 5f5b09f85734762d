package dev.keiko.launcher;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.keiko.api.ApiApplication;
import dev.keiko.domain.user.Role;
import dev.keiko.embedded.EmbeddedServices;
import dev.keiko.embedded.SearchAttributeRegistration;
import dev.keiko.launcher.DevSystem.TestUser;
import dev.keiko.worker.WorkerApplication;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The API and a worker in this JVM, as the dev launcher runs them, each with a span exporter that keeps
 * every finished span in {@link #SPANS}: what the observability tests read traces and meters from. They
 * use a Temporal namespace of their own on the shared dev server, so that no worker of another test
 * takes their tasks.
 */
final class ObservedSystem {

    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final String NAMESPACE = "keiko-observed";
    static final String DEPLOYMENT = "observed";
    /** A deployment limited to one call a second, with up to 5 s of waiting for a turn. */
    static final String LIMITED_DEPLOYMENT = "observed-limited";
    /** The reference server again, registered without a list of allowed tools: tasks may name any tool. */
    static final String OPEN_SERVER = "open";
    /** The token this API's metrics are scraped with. */
    static final String SCRAPE_TOKEN = "observed-system-scrape-token-0123456789";
    static final WireMockServer MODEL = new WireMockServer(WireMockConfiguration.options().dynamicPort()
            .extensions(new StreamedAnswers()));

    private static ObservedSystem shared;

    final ConfigurableApplicationContext worker;
    final ConfigurableApplicationContext api;
    final WebTestClient web;

    private ObservedSystem(ConfigurableApplicationContext worker, ConfigurableApplicationContext api) {
        this.worker = worker;
        this.api = api;
        this.web = DevSystem.client(api);
    }

    static synchronized ObservedSystem shared() {
        if (shared == null) {
            MODEL.start();
            // Its own namespace needs Keiko's search attributes too: the dev system's workflows carry them.
            SearchAttributeRegistration.register(
                    EmbeddedServices.shared().properties().get("spring.temporal.connection.target"), NAMESPACE);
            String[] args = arguments().toArray(String[]::new);
            ConfigurableApplicationContext worker = traced(WorkerApplication.builder()).run(args);
            ConfigurableApplicationContext api = traced(ApiApplication.builder()).run(args);
            shared = new ObservedSystem(worker, api);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                api.close();
                worker.close();
                MODEL.stop();
            }, "observed-system-shutdown"));
        }
        return shared;
    }

    /** A client of the worker's own web server, which serves only actuator. */
    WebTestClient workerWeb() {
        return DevSystem.client(worker);
    }

    /** A new user of that role, and a real access token for it. */
    TestUser user(Role role) {
        return DevSystem.newUser(api, web, role);
    }

    /**
     * Keeps the process's spans in {@link #SPANS} as they end. The exporter is a bean like Boot's OTLP exporter, so
     * that it gets what Keiko does to every exporter bean (it takes failure text out), but no candidate for Boot's
     * batching processor: a processor of its own hands it each span at once.
     */
    private static SpringApplicationBuilder traced(SpringApplicationBuilder builder) {
        return builder.registerShutdownHook(false).initializers(context -> {
            GenericApplicationContext beans = (GenericApplicationContext) context;
            beans.registerBean("inMemorySpanExporter", SpanExporter.class, () -> SPANS,
                    definition -> definition.setAutowireCandidate(false));
            beans.registerBean("inMemorySpans", SpanProcessor.class,
                    () -> SimpleSpanProcessor.create(beans.getBean("inMemorySpanExporter", SpanExporter.class)));
        });
    }

    private static List<String> arguments() {
        List<String> args = new ArrayList<>();
        EmbeddedServices.shared().properties().forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(
                "--spring.temporal.namespace=" + NAMESPACE,
                "--server.port=0",
                "--keiko.auth.jwt-secret=" + DevSystem.JWT_SECRET,
                "--keiko.auth.admin-password=dev-system-admin",
                "--keiko.api.metrics-token=" + SCRAPE_TOKEN,
                "--keiko.api.approvals-waiting-refresh=1s",
                "--keiko.mcp.servers.everything.command=node",
                "--keiko.mcp.servers.everything.args[0]=" + DevSystem.EVERYTHING,
                "--keiko.mcp.servers.everything.args[1]=stdio",
                "--keiko.mcp.servers.everything.allowed-tools=" + String.join(",", DevMcpServers.EVERYTHING_TOOLS),
                "--keiko.mcp.servers." + OPEN_SERVER + ".command=node",
                "--keiko.mcp.servers." + OPEN_SERVER + ".args[0]=" + DevSystem.EVERYTHING,
                "--keiko.mcp.servers." + OPEN_SERVER + ".args[1]=stdio",
                "--keiko.mcp.allowed-networks=" + DevLauncher.DEV_ALLOWED_NETWORKS,
                // Tasks of other tests' systems share the database: this API leaves their starts alone.
                "--keiko.tasks.start-repair-after=1d",
                "--keiko.llm.provider=azure",
                "--keiko.llm.azure.endpoint=http://127.0.0.1:" + MODEL.port(),
                "--keiko.llm.azure.api-key=azure-test-key",
                "--keiko.llm.azure.deployment=" + DEPLOYMENT,
                "--keiko.llm.azure.deployments=" + LIMITED_DEPLOYMENT,
                "--keiko.llm.rate-limits." + LIMITED_DEPLOYMENT + ".requests-per-minute=60",
                "--keiko.llm.rate-limits." + LIMITED_DEPLOYMENT + ".max-wait=5s"));
        return args;
    }
}
