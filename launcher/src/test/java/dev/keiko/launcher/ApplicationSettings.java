package dev.keiko.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings Keiko's applications read, as the environment variable names that set them: Spring Boot's
 * own and its libraries' (their configuration metadata), Keiko's {@code @ConfigurationProperties}, and the
 * keys and placeholders of its YAML files. A name matches a property when Spring's relaxed binding would bind
 * it there: upper case, dots as underscores, dashes dropped (or, in the legacy form Spring also reads, dashes
 * as underscores).
 */
final class ApplicationSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_.-]*)[:}]");
    private static final List<String> YAML_FILES = List.of("api.yml", "worker.yml", "keiko-defaults.yml");

    private final Set<String> exact = new HashSet<>();
    /** Properties of a map or list type: any variable below them binds. */
    private final Set<String> prefixes = new HashSet<>();

    static ApplicationSettings read() {
        ApplicationSettings settings = new ApplicationSettings();
        settings.readMetadata();
        settings.readKeikoProperties();
        settings.readPlaceholders();
        settings.exact.add("SPRING_APPLICATION_JSON");
        return settings;
    }

    boolean reads(String environmentVariable) {
        return exact.contains(environmentVariable)
                || prefixes.stream().anyMatch(prefix -> environmentVariable.startsWith(prefix + "_"));
    }

    private void add(String property, boolean orBelow) {
        String upper = property.toUpperCase().replace('.', '_');
        for (String name : List.of(upper.replace("-", ""), upper.replace('-', '_'))) {
            exact.add(name);
            if (orBelow) {
                prefixes.add(name);
            }
        }
    }

    private void readMetadata() {
        JsonMapper json = JsonMapper.builder().build();
        for (Resource resource : resources("classpath*:META-INF/spring-configuration-metadata.json")) {
            try (InputStream in = resource.getInputStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String type = property.path("type").asString("");
                    add(property.path("name").asString(),
                            type.startsWith("java.util.Map") || type.startsWith("java.util.List"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void readKeikoProperties() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.keiko")) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), getClass().getClassLoader());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            addProperties(prefix, type);
        }
    }

    private void addProperties(String prefix, Class<?> type) {
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                addProperty(prefix + "." + kebab(component.getName()), component.getType());
            }
        } else {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    addProperty(prefix + "." + kebab(field.getName()), field.getType());
                }
            }
        }
    }

    private void addProperty(String property, Class<?> type) {
        boolean collection = Map.class.isAssignableFrom(type) || List.class.isAssignableFrom(type)
                || Set.class.isAssignableFrom(type);
        add(property, collection);
        if (!collection && type.getName().startsWith("dev.keiko.") && !type.isEnum()) {
            addProperties(property, type);
        }
    }

    private void readPlaceholders() {
        for (String file : YAML_FILES) {
            for (Resource resource : resources("classpath*:" + file)) {
                try (InputStream in = resource.getInputStream()) {
                    String yaml = new String(in.readAllBytes());
                    Matcher placeholder = PLACEHOLDER.matcher(yaml);
                    while (placeholder.find()) {
                        add(placeholder.group(1), false);
                    }
                    for (Object document : new Yaml().loadAll(yaml)) {
                        addKeys("", document);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void addKeys(String prefix, Object node) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> addKeys(prefix.isEmpty() ? key.toString() : prefix + "." + key, value));
        } else if (!prefix.isEmpty()) {
            add(prefix, node instanceof List<?>);
        }
    }

    private static Resource[] resources(String pattern) {
        try {
            return new PathMatchingResourcePatternResolver().getResources(pattern);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
