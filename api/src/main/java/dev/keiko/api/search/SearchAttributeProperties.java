package dev.keiko.api.search;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Whether the API sets Keiko's search attributes on the workflows it starts, {@code keiko.temporal.search-attributes}.
 *
 * @param use {@code detect} (the default): when the namespace lists them all with their types; {@code always}:
 *         for a server that cannot list them but has them (Temporal's test server, which Keiko's dev system
 *         registers them on); {@code never}
 */
@Validated
@ConfigurationProperties("keiko.temporal.search-attributes")
public record SearchAttributeProperties(@NotNull @DefaultValue("detect") Use use) {

    public enum Use { DETECT, ALWAYS, NEVER }
}
