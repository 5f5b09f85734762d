package dev.keiko.domain.payload;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How large Temporal payloads are kept out of workflow history, {@code keiko.payloads.*}.
 *
 * @param offloadThreshold payloads larger than this are stored in PostgreSQL and passed by reference;
 *     between 1 KB and 1 MB (Temporal refuses payloads over 2 MB)
 * @param retention how long a stored payload is kept after a workflow last passed it on, at least a day;
 *     keep it longer than the namespace's history retention plus the longest task timeout
 * @param cleanupInterval how often a worker deletes payloads past their retention
 */
@ConfigurationProperties("keiko.payloads")
public record PayloadProperties(
        @DefaultValue("256KB") DataSize offloadThreshold,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1h") Duration cleanupInterval) {

    public PayloadProperties {
        if (offloadThreshold.compareTo(DataSize.ofKilobytes(1)) < 0
                || offloadThreshold.compareTo(DataSize.ofMegabytes(1)) > 0) {
            throw new IllegalArgumentException("keiko.payloads.offload-threshold must be between 1KB and 1MB, not "
                    + offloadThreshold);
        }
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("keiko.payloads.retention must be at least 1d, not " + retention);
        }
        if (!cleanupInterval.isPositive()) {
            throw new IllegalArgumentException("keiko.payloads.cleanup-interval must be positive, not "
                    + cleanupInterval);
        }
    }
}
