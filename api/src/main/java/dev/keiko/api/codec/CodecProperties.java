package dev.keiko.api.codec;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The codec endpoint that lets the Temporal Web UI and CLI show Keiko's encrypted payloads, {@code keiko.codec.*}.
 *
 * @param allowedOrigins Web UI origins ({@code scheme://host[:port]}) whose pages may call {@code /codec/*} from
 *     the browser; none by default, which leaves the endpoint to the CLI and same-origin callers
 * @param sessionTtl how long a browser sign-in for the codec endpoint (its cookie) lasts, 1 minute to 12 hours
 * @param secureCookie whether that cookie is sent over HTTPS only; set it when a TLS proxy is in front of the API
 *     (a request that reaches the API over HTTPS gets a secure cookie anyway)
 * @param maxRequestSize the largest body {@code /codec/*} reads: payloads under the offload threshold stay in
 *     history encrypted, and arrive here as base64 in JSON, a third larger; other requests keep
 *     {@code keiko.api.max-request-size}
 */
@ConfigurationProperties("keiko.codec")
public record CodecProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("30m") Duration sessionTtl,
        @DefaultValue("false") boolean secureCookie,
        @DefaultValue("2MB") DataSize maxRequestSize) {

    public CodecProperties {
        allowedOrigins = allowedOrigins.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
        for (String origin : allowedOrigins) {
            if (!isOrigin(origin)) {
                throw new IllegalArgumentException("keiko.codec.allowed-origins: '" + origin
                        + "' is not an origin such as http://localhost:8233 (scheme, host, optional port, nothing else)");
            }
        }
        if (sessionTtl.compareTo(Duration.ofMinutes(1)) < 0 || sessionTtl.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("keiko.codec.session-ttl must be between 1m and 12h, not " + sessionTtl);
        }
    }

    private static boolean isOrigin(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
