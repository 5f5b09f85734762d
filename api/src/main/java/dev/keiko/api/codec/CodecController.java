package dev.keiko.api.codec;

import dev.keiko.api.auth.CurrentUser;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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

    CodecController(CodecPayloads payloads) {
        this.payloads = payloads;
    }

    // Bytes in and out: Jackson would read and write a String body as a JSON string.
    @PostMapping("/decode")
    Mono<byte[]> decode(@AuthenticationPrincipal Jwt jwt, @RequestBody byte[] body) {
        return payloads.decode(CurrentUser.from(jwt), PayloadsJson.parse(body)).map(PayloadsJson::print);
    }

    @PostMapping("/encode")
    Mono<byte[]> encode(@AuthenticationPrincipal Jwt jwt, @RequestBody byte[] body) {
        CurrentUser user = CurrentUser.from(jwt);
        user.require("tasks:create");
        return payloads.encode(user, PayloadsJson.parse(body)).map(PayloadsJson::print);
    }
}
