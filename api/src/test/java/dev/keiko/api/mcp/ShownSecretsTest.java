package dev.keiko.api.mcp;

import static dev.keiko.api.mcp.ShownSecrets.HIDDEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a registration view shows of URLs and stdio arguments. */
class ShownSecretsTest {

    @Test
    void aUrlKeepsSchemeHostPortAndPathAndHidesUserInfoAndQueryValues() {
        assertThat(ShownSecrets.url("http://alice:s3cret@127.0.0.1:9/mcp?api_key=abc&mode"))
                .isEqualTo("http://" + HIDDEN + "@127.0.0.1:9/mcp?api_key=" + HIDDEN + "&" + HIDDEN);
        assertThat(ShownSecrets.url("https://[2001:db8::1]/sse")).isEqualTo("https://[2001:db8::1]/sse");
        assertThat(ShownSecrets.url("https://example.com/path/as/it/is"))
                .isEqualTo("https://example.com/path/as/it/is");
        assertThat(ShownSecrets.url("not a url")).isEqualTo(HIDDEN);
        assertThat(ShownSecrets.url(null)).isNull();
    }

    @Test
    void theValueAfterASecretFlagIsHidden() {
        assertThat(ShownSecrets.args(List.of("server.js", "--api-key", "sk-123", "--verbose", "stdio")))
                .containsExactly("server.js", "--api-key", HIDDEN, "--verbose", "stdio");
        assertThat(ShownSecrets.args(List.of("-token", "abc"))).containsExactly("-token", HIDDEN);
    }

    @Test
    void theValueAfterASecretFlagIsHiddenEvenWhenItStartsWithADash() {
        assertThat(ShownSecrets.args(List.of("--password", "-s3cret-", "--port", "9")))
                .containsExactly("--password", HIDDEN, "--port", "9");
    }

    @Test
    void aSecretNamedValueIsHiddenWithOrWithoutDashes() {
        assertThat(ShownSecrets.args(List.of("--token=abc", "-e", "GITHUB_TOKEN=ghp_SECRET", "DB_PASSWORD=pw",
                "--env=AWS_SECRET_ACCESS_KEY=xyz", "api.key=k", "MODE=fast", "--level=3")))
                .containsExactly("--token=" + HIDDEN, "-e", "GITHUB_TOKEN=" + HIDDEN, "DB_PASSWORD=" + HIDDEN,
                        "--env=AWS_SECRET_ACCESS_KEY=" + HIDDEN, "api.key=" + HIDDEN, "MODE=fast", "--level=3");
    }

    @Test
    void aHeaderGivenAsAnArgumentKeepsOnlyItsName() {
        assertThat(ShownSecrets.args(List.of("--header", "Authorization: Bearer xyz", "X-Mode: fast")))
                .containsExactly("--header", "Authorization: " + HIDDEN, "X-Mode: " + HIDDEN);
    }

    @Test
    void everyUrlInAnArgumentIsHidden() {
        assertThat(ShownSecrets.args(List.of("https://u:p@example.com/x?k=v",
                "--upstreams=http://a:pw1@one.example/x,https://two.example/y?t=pw2 http://b:pw3@three.example/z",
                "DATABASE_URL=postgres://app:pw4@db:5432/keiko")))
                .containsExactly("https://" + HIDDEN + "@example.com/x?k=" + HIDDEN,
                        "--upstreams=http://" + HIDDEN + "@one.example/x,https://two.example/y?t=" + HIDDEN
                                + " http://" + HIDDEN + "@three.example/z",
                        "DATABASE_URL=postgres://" + HIDDEN + "@db:5432/keiko");
    }

    @Test
    void userInfoBeforeASecretNameIsHiddenToo() {
        assertThat(ShownSecrets.args(List.of("http://u:pw@host/?session=1 2://x 1http://v:pw@h")))
                .containsExactly("http://" + HIDDEN + "@host/?session=" + HIDDEN);
    }

    @Test
    void plainArgumentsAreShownAsTheyAre() {
        assertThat(ShownSecrets.args(List.of("server.js", "stdio", "--port", "8080", "a=b", "://", "x://")))
                .containsExactly("server.js", "stdio", "--port", "8080", "a=b", "://", "x://");
    }

    @Test
    void longHostileArgumentsAreShownInLinearTime() {
        List<String> hostile = List.of("--" + "key".repeat(80_000) + "!", "key".repeat(80_000) + "=x",
                "a".repeat(250_000), "a".repeat(100_000) + ":".repeat(100_000), "a://".repeat(60_000),
                "=".repeat(250_000), "-" + "=key".repeat(60_000));

        List<String> shown = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> ShownSecrets.args(hostile));

        assertThat(shown.get(1)).isEqualTo("key".repeat(80_000) + "=" + HIDDEN);
    }
}
