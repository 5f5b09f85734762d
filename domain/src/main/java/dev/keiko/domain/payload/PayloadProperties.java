package dev.keiko.domain.payload;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How large Temporal payloads are kept out of workflow history, {@code keiko.payloads.*}.
 *
 * @param offloadThreshold payloads larger than this are stored in PostgreSQL and passed by reference
 * @param retention how long a stored payload is kept after a workflow last passed it on; keep it longer
 *     than the namespace's history retention plus the longest task timeout
 * @param cleanupInterval how often a worker deletes payloads past their retention
 */
@ConfigurationProperties("keiko.payloads")
public record PayloadProperties(
        @DefaultValue("256KB") DataSize offloadThreshold,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1h") Duration cleanupInterval) {
}
