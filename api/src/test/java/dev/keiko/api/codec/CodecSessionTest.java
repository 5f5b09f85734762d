package dev.keiko.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.keiko.api.ApiTestSupport;
import dev.keiko.api.auth.ProblemBody;
import dev.keiko.domain.payload.EncryptingPayloadCodec;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import tools.jackson.databind.json.JsonMapper;

/** The browser sign-in that lets the Temporal Web UI call the codec endpoint with a cookie. */
class CodecSessionTest extends ApiTestSupport {

    @Autowired
    EncryptingPayloadCodec encrypting;

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    private ResponseCookie signIn(TestUser user) {
        return web.post().uri("/codec/session")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", user.username(), "password", user.password()))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.expiresIn").isEqualTo(1800)
                .returnResult().getResponseCookies().getFirst(CodecSessions.COOKIE);
    }

    @Test
    void aSignedInBrowserDecodesItsTasksPayloadsWithTheCookieAlone() throws InvalidProtocolBufferException {
        TestUser owner = createUser(Role.USER);
        Task task = tasks.insert(new NewTask(owner.id(), "completion", json.valueToTree(Map.of("prompt", "hi")),
                TaskPriority.NORMAL, 60, null, null)).block().task();
        Payload prompt = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8("\"cookie-secret-" + UUID.randomUUID() + "\"")).build();
        Payload encrypted = encrypting.withContext(new WorkflowSerializationContext("default", task.workflowId()))
                .encode(List.of(prompt)).getFirst();

        ResponseCookie cookie = signIn(owner);

        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/codec");
        assertThat(cookie.getMaxAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(cookie.isSecure()).isFalse(); // plain HTTP, no keiko.codec.secure-cookie
        String decoded = web.post().uri("/codec/decode")
                .header(HttpHeaders.ORIGIN, WEB_UI_ORIGIN)
                .cookie(CodecSessions.COOKIE, cookie.getValue())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JsonFormat.printer().print(Payloads.newBuilder().addPayloads(encrypted).build()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, WEB_UI_ORIGIN)
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                .expectBody(String.class).returnResult().getResponseBody();
        Payloads.Builder payloads = Payloads.newBuilder();
        JsonFormat.parser().merge(decoded, payloads);
        assertThat(payloads.getPayloadsList()).containsExactly(prompt);
    }

    @Test
    void theSessionTokenOpensTheCodecEndpointOnly() {
        TestUser user = createUser(Role.ADMIN);
        String sessionToken = signIn(user).getValue();

        ProblemBody.expect(web.get().uri("/api/v1/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + sessionToken)
                .exchange(), 401);
        ProblemBody.expect(web.get().uri("/api/v1/tasks").cookie(CodecSessions.COOKIE, sessionToken).exchange(), 401);
        // Not another codec path either: only the two operations read the cookie.
        ProblemBody.expect(web.get().uri("/codec/anything").cookie(CodecSessions.COOKIE, sessionToken).exchange(), 401);
    }

    @Test
    void wrongCredentialsAndFormPostsAreRefusedWithoutACookie() {
        TestUser user = createUser(Role.USER);

        var wrong = web.post().uri("/codec/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", user.username(), "password", "wrong-password")).exchange();
        ProblemBody.expect(wrong.expectHeader().doesNotExist(HttpHeaders.SET_COOKIE), 401);
        // A cross-site form can post only these content types: none of them is read.
        var form = web.post().uri("/codec/session").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("username=" + user.username() + "&password=" + user.password()).exchange();
        ProblemBody.expect(form.expectHeader().doesNotExist(HttpHeaders.SET_COOKIE), 415);
        var text = web.post().uri("/codec/decode").cookie(CodecSessions.COOKIE, signIn(user).getValue())
                .contentType(MediaType.TEXT_PLAIN).bodyValue("{\"payloads\":[]}").exchange();
        ProblemBody.expect(text, 415);
    }

    @Test
    void signingOutClearsTheCookie() {
        ResponseCookie cleared = web.delete().uri("/codec/session").exchange()
                .expectStatus().isNoContent()
                .returnResult(Void.class).getResponseCookies().getFirst(CodecSessions.COOKIE);

        assertThat(cleared.getValue()).isEmpty();
        assertThat(cleared.getMaxAge()).isZero();
        assertThat(cleared.getPath()).isEqualTo("/codec");
    }

    @Test
    void theSignInPageRunsOnlyItsOwnScript() {
        String csp = web.get().uri("/codec/sign-in").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(page -> assertThat(page).contains("<form id=\"sign-in\">")
                        .contains("fetch('session'"))
                .returnResult().getResponseHeaders().getFirst("Content-Security-Policy");

        assertThat(csp).startsWith("default-src 'none'; script-src 'sha256-").contains("frame-ancestors 'none'")
                .contains("form-action 'none'").doesNotContain("unsafe");
    }
}
