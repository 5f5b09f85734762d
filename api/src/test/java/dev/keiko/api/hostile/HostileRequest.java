package dev.keiko.api.hostile;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One request of the hostile suite, described as data: method, raw path, caller, headers and body bytes.
 * The path is sent exactly as written (no encoding, so {@code %00} and {@code ..} reach the server);
 * {@code {placeholders}} in it are replaced with the fixture's ids when the request is sent.
 */
final class HostileRequest {

    private static final int CHUNK = 1024;

    private final HttpMethod method;
    private final String path;
    private Function<HostileFixture, String> authorization = fixture -> null;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private Function<HostileFixture, byte[]> body;
    private boolean chunked;

    private HostileRequest(HttpMethod method, String path) {
        this.method = method;
        this.path = path;
    }

    static HostileRequest get(String path) {
        return new HostileRequest(HttpMethod.GET, path);
    }

    static HostileRequest post(String path) {
        return new HostileRequest(HttpMethod.POST, path);
    }

    static HostileRequest patch(String path) {
        return new HostileRequest(HttpMethod.PATCH, path);
    }

    static HostileRequest delete(String path) {
        return new HostileRequest(HttpMethod.DELETE, path);
    }

    static HostileRequest method(String method, String path) {
        return new HostileRequest(HttpMethod.valueOf(method), path);
    }

    /** Signed in as one of the fixture's users. */
    HostileRequest as(Caller caller) {
        return authorization(fixture -> "Bearer " + fixture.token(caller));
    }

    /** With this exact {@code Authorization} header value. */
    HostileRequest authorization(Function<HostileFixture, String> value) {
        this.authorization = value;
        return this;
    }

    HostileRequest header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    /** A JSON body: {@code Content-Type: application/json} and the text in UTF-8, placeholders replaced. */
    HostileRequest json(String text) {
        return header(HttpHeaders.CONTENT_TYPE, "application/json").text(text);
    }

    /** This text in UTF-8 as the body, placeholders replaced; the content type, if any, comes from {@link #header}. */
    HostileRequest text(String text) {
        return body(fixture -> fixture.resolve(text).getBytes(StandardCharsets.UTF_8));
    }

    /** Exactly these bytes as the body; the content type, if any, comes from {@link #header}. */
    HostileRequest bytes(byte[] bytes) {
        return body(fixture -> bytes);
    }

    /** Sends the body in 1 KB chunks without a {@code Content-Length}, so no filter can refuse it up front. */
    HostileRequest chunked() {
        this.chunked = true;
        return this;
    }

    HostileRequest body(Function<HostileFixture, byte[]> bytes) {
        this.body = bytes;
        return this;
    }

    WebTestClient.ResponseSpec send(WebTestClient web, HostileFixture fixture) {
        String resolved = fixture.resolve(path);
        WebTestClient.RequestBodySpec request = web.method(method)
                .uri(base -> URI.create(base.build() + resolved));
        String authorizationValue = authorization.apply(fixture);
        if (authorizationValue != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorizationValue);
        }
        headers.forEach(header -> request.header(header.getKey(), header.getValue()));
        if (body == null) {
            return request.exchange();
        }
        byte[] bytes = body.apply(fixture);
        // Written as they are, past the client's encoders, which would refuse a content type that does not parse.
        return request.body((message, context) -> chunked
                ? message.writeWith(Flux.range(0, (bytes.length + CHUNK - 1) / CHUNK).map(i -> message.bufferFactory()
                        .wrap(Arrays.copyOfRange(bytes, i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK)))))
                : message.writeWith(Mono.just(message.bufferFactory().wrap(bytes))))
                .exchange();
    }
}
