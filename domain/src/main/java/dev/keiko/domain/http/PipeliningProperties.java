package dev.keiko.domain.http;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much a client may send ahead of its answers on one connection (HTTP/1.1 pipelining) before the connection is
 * closed: see {@link PipelinedRequestLimit}.
 *
 * @param maxWaitingRequests requests waiting behind the one being answered
 * @param maxWaitingBytes the bodies of those requests together; keep it above the largest body an endpoint takes
 *     ({@code keiko.codec.max-request-size}, 2 MB), so that one such request may wait
 */
@Validated
@ConfigurationProperties("keiko.http.pipelining")
public record PipeliningProperties(
        @DefaultValue("16") @Min(0) @Max(10_000) int maxWaitingRequests,
        @DefaultValue("4MB") @NotNull DataSize maxWaitingBytes) {

    public PipeliningProperties {
        if (maxWaitingBytes != null && maxWaitingBytes.isNegative()) {
            throw new IllegalArgumentException("keiko.http.pipelining.max-waiting-bytes must not be negative");
        }
    }
}
