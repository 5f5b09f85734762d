package dev.keiko.api.codec;

import dev.keiko.api.auth.CurrentUser;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Temporal's codec-server protocol ({@code POST /codec/decode}, {@code POST /codec/encode}, payloads as protobuf
 * JSON), for the Web UI ({@code TEMPORAL_CODEC_ENDPOINT=http://<api>/codec}) and the CLI
 * ({@code --codec-endpoint http://<api>/codec --codec-auth 'Bearer <token>'}). JSON only: a cross-site form
 * cannot post here.
 */
@RestController
@RequestMapping(path = "/codec", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
class CodecController {

    private final CodecPayloads payloads;
    private final int maxBodyBytes;

    CodecController(CodecPayloads payloads, CodecProperties properties) {
        this.payloads = payloads;
        this.maxBodyBytes = Math.toIntExact(properties.maxRequestSize().toBytes());
    }

    // Bytes in and out: Jackson would read and write a String body as a JSON string. The body is read here, up to
    // keiko.codec.max-request-size (over it: 413), not by the codecs, whose limit is the API's.
    @PostMapping("/decode")
    Mono<byte[]> decode(@AuthenticationPrincipal Jwt jwt, ServerHttpRequest request) {
        CurrentUser user = CurrentUser.from(jwt);
        return body(request).flatMap(body -> payloads.decode(user, PayloadsJson.parse(body))).map(PayloadsJson::print);
    }

    @PostMapping("/encode")
    Mono<byte[]> encode(@AuthenticationPrincipal Jwt jwt, ServerHttpRequest request) {
        CurrentUser user = CurrentUser.from(jwt);
        user.require("tasks:create");
        return body(request).flatMap(body -> payloads.encode(user, PayloadsJson.parse(body))).map(PayloadsJson::print);
    }

    private Mono<byte[]> body(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0]);
    }
}
