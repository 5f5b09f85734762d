package dev.keiko.worker;

import dev.keiko.domain.payload.PayloadProperties;
import dev.keiko.domain.payload.PayloadStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes offloaded payloads past {@code keiko.payloads.retention}; harmless in every worker at once. */
@Component
class PayloadCleanup {

    private static final Logger log = LoggerFactory.getLogger(PayloadCleanup.class);

    private final PayloadStore payloads;
    private final PayloadProperties properties;

    PayloadCleanup(PayloadStore payloads, PayloadProperties properties) {
        this.payloads = payloads;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "${keiko.payloads.cleanup-interval:1h}",
            fixedDelayString = "${keiko.payloads.cleanup-interval:1h}")
    void deleteExpired() {
        try {
            Long deleted = payloads.deleteUnusedFor(properties.retention()).block(Duration.ofMinutes(5));
            if (deleted != null && deleted > 0) {
                log.info("Deleted {} offloaded payloads unused for {}", deleted, properties.retention());
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete expired payloads: {}", e.toString());
        }
    }
}
