package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.workflows.search.KeikoSearchAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml checked against the applications, since no Docker engine runs here: images are pinned,
 * builds name Dockerfile stages, dependencies wait on health or on completed set-up steps, every variable
 * given to the API and the worker is one they read, the ports and health paths are the ones they serve, the
 * set-up step registers the search attributes the workflows set, and secrets come from an uncommitted .env.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):\\?");
    private static final Set<String> ONE_SHOT = Set.of("temporal-schema", "temporal-setup");

    static Map<String, Map<String, Object>> services;
    static String compose;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> file = new Yaml().load(compose);
        services = (Map<String, Map<String, Object>>) file.get("services");
    }

    @Test
    void everyServiceHasAPinnedImageOrABuildOfADockerfileStage() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        services.forEach((name, service) -> {
            assertThat(service.containsKey("image") ^ service.containsKey("build")).as(name + ": image or build").isTrue();
            assertThat(service).as(name + ": container_name would stop --scale").doesNotContainKey("container_name");
            if (service.containsKey("image")) {
                assertThat((String) service.get("image")).as(name).matches("[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*");
            } else {
                Map<?, ?> build = (Map<?, ?>) service.get("build");
                assertThat(dockerfile).as(name + ": Dockerfile stage").containsPattern("(?m)^FROM .+ AS " + build.get("target") + "$");
            }
        });
    }

    @Test
    void dependenciesWaitForHealthOrForACompletedSetUp() {
        services.forEach((name, service) -> dependencies(service).forEach((dependency, condition) -> {
            assertThat(services).as(name + " depends on " + dependency).containsKey(dependency);
            Map<String, Object> target = services.get(dependency);
            switch (condition) {
                case "service_healthy" -> assertThat(target).as(dependency + " has a healthcheck").containsKey("healthcheck");
                case "service_completed_successfully" -> assertThat(ONE_SHOT).as(dependency + " is a one-shot step").contains(dependency);
                case "service_started" -> assertThat(dependency).as("only the telemetry backend is waited on unhealthily").isEqualTo("lgtm");
                default -> throw new AssertionError(name + " waits on " + dependency + " with " + condition);
            }
        }));
        assertThat(dependencies(services.get("temporal"))).containsEntry("temporal-schema", "service_completed_successfully");
        for (String app : List.of("api", "worker")) {
            assertThat(dependencies(services.get(app))).containsEntry("postgres", "service_healthy")
                    .containsEntry("temporal-setup", "service_completed_successfully");
        }
    }

    @Test
    void longRunningServicesHealthcheckAndRestartOneShotsRetryOnFailure() {
        services.forEach((name, service) -> {
            if (ONE_SHOT.contains(name)) {
                assertThat((String) service.get("restart")).as(name).startsWith("on-failure");
            } else {
                assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
            }
        });
        for (String name : List.of("postgres", "temporal-postgres", "temporal", "api", "worker")) {
            assertThat(services.get(name)).as(name).containsKey("healthcheck");
        }
        assertThat(volumes("postgres")).anyMatch(volume -> volume.endsWith(":/var/lib/postgresql/data"));
        assertThat(volumes("temporal-postgres")).anyMatch(volume -> volume.endsWith(":/var/lib/postgresql/data"));
    }

    @Test
    void theApiAndTheWorkerAreGivenOnlySettingsTheyRead() {
        ApplicationSettings settings = ApplicationSettings.read();
        for (String app : List.of("api", "worker")) {
            Set<String> unknown = environment(app).keySet().stream().filter(name -> !settings.reads(name))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            assertThat(unknown).as(app + ": variables no Keiko setting reads").isEmpty();
        }
        // The documented way to set what has no single variable (rate limits, MCP servers, tool policy).
        assertThat(environment("worker")).containsKey("SPRING_APPLICATION_JSON");
        assertThat(settings.reads("KEIKO_NO_SUCH_SETTING")).as("the check can fail").isFalse();
    }

    @Test
    void onlyTheApiHoldsTheSigningSecretAndTheWorkerPublishesNoPortSoThatItScales() {
        assertThat(environment("api")).containsKeys("KEIKO_JWT_SECRET", "KEIKO_ADMIN_PASSWORD");
        assertThat(environment("worker")).doesNotContainKeys("KEIKO_JWT_SECRET", "KEIKO_ADMIN_PASSWORD");
        assertThat(services.get("worker")).doesNotContainKey("ports");
        for (String app : List.of("api", "worker")) {
            assertThat(environment(app)).containsKeys("KEIKO_PAYLOADS_ENCRYPTION_KEYS", "KEIKO_DB_PASSWORD");
        }
    }

    @Test
    void everySecretTheStackRequiresIsInTheExampleEnvironmentAndDotEnvIsNotCommitted() throws IOException {
        String example = Files.readString(ROOT.resolve(".env.example"));
        Matcher required = REQUIRED_VARIABLE.matcher(compose);
        List<String> missing = new ArrayList<>();
        while (required.find()) {
            if (!example.contains("\n" + required.group(1) + "=")) {
                missing.add(required.group(1));
            }
        }
        assertThat(missing).as("required by docker-compose.yml, absent from .env.example").isEmpty();
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
    }

    @Test
    void healthchecksAndPortsAreTheOnesTheApplicationsServe() {
        assertThat(healthcheck("api")).contains("localhost:8080/actuator/health/readiness");
        assertThat(healthcheck("worker")).contains("localhost:8081/actuator/health/readiness");
        assertThat(ports("api")).containsExactly("8080:8080");
        DevSystem system = DevSystem.shared();
        system.web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        system.web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void theWebUiDecodesThroughTheApisCodecEndpointFromAnAllowedOrigin() {
        Map<String, Object> ui = environment("temporal-ui");
        String published = hostPort(ports("temporal-ui").getFirst());
        assertThat(ui).containsEntry("TEMPORAL_CODEC_ENDPOINT", "http://localhost:" + hostPort(ports("api").getFirst()) + "/codec");
        assertThat((String) environment("api").get("KEIKO_CODEC_ALLOWED_ORIGINS")).contains("http://localhost:" + published);
        assertThat(ui).containsEntry("TEMPORAL_DEFAULT_NAMESPACE", environment("api").get("SPRING_TEMPORAL_NAMESPACE"));
        assertThat(environment("temporal-setup")).containsEntry("KEIKO_NAMESPACE", environment("worker").get("SPRING_TEMPORAL_NAMESPACE"));
    }

    @Test
    void theSetUpStepRegistersTheSearchAttributesTheWorkflowsSet() throws IOException {
        String script = Files.readString(ROOT.resolve("deploy/temporal/setup-namespace.sh"));
        String listed = script.substring(script.indexOf("<<'ATTRIBUTES'\n") + "<<'ATTRIBUTES'\n".length(),
                script.indexOf("\nATTRIBUTES\n"));
        Map<String, String> registered = listed.lines().map(line -> line.split(" "))
                .collect(Collectors.toMap(words -> words[0], words -> words[1]));
        Map<String, String> expected = KeikoSearchAttributes.DEFINITIONS.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> switch (entry.getValue()) {
                    case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
                    case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
                    default -> throw new AssertionError(entry);
                }));
        assertThat(registered).isEqualTo(expected);
    }

    @Test
    void onlyTheApiIsPublishedBeyondThisHostAndTheUiCannotActPastKeiko() {
        services.forEach((name, service) -> ports(name).forEach(port -> {
            if (!name.equals("api")) {
                assertThat(port).as(name + " publishes " + port).startsWith("127.0.0.1:");
            }
        }));
        assertThat(environment("temporal-ui")).containsEntry("TEMPORAL_DISABLE_WRITE_ACTIONS", "true");
        for (String app : List.of("api", "worker")) {
            assertThat(services.get(app)).as(app + ": the heap is sized from the memory limit").containsKey("mem_limit");
        }
    }

    @Test
    void variableDefaultsSurviveComposeInterpolation() {
        // Compose ends ${NAME:-default} at the first '}', so a default with braces leaves one behind: a JSON
        // default of {} would turn a set value into invalid JSON, and the applications would not start.
        Matcher variable = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::?[-?])([^}]*)}").matcher(compose);
        List<String> braced = new ArrayList<>();
        while (variable.find()) {
            if (variable.group(2).contains("{")) {
                braced.add(variable.group());
            }
        }
        assertThat(braced).isEmpty();
        assertThat(compose).doesNotContain("${KEIKO_SETTINGS_JSON:-{}}");
    }

    private static String hostPort(String mapping) {
        String[] parts = mapping.split(":");
        return parts[parts.length - 2];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependencies(Map<String, Object> service) {
        Object dependsOn = service.getOrDefault("depends_on", Map.of());
        assertThat(dependsOn).as("depends_on with conditions").isInstanceOf(Map.class);
        return ((Map<String, Map<String, String>>) dependsOn).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get("condition")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> environment(String service) {
        return (Map<String, Object>) services.get(service).getOrDefault("environment", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(String service) {
        return (List<String>) services.get(service).getOrDefault("volumes", List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> ports(String service) {
        return (List<String>) services.get(service).getOrDefault("ports", List.of());
    }

    @SuppressWarnings("unchecked")
    private static String healthcheck(String service) {
        return String.join(" ", (List<String>) ((Map<String, Object>) services.get(service).get("healthcheck")).get("test"));
    }
}
