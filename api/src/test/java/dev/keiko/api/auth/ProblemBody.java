package dev.keiko.api.auth;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The RFC 9457 members the API's tests look at. */
public record ProblemBody(String type, String title, int status, String detail, String instance) {

    /** Asserts the response is problem+json with {@code status} and returns its body. */
    public static ProblemBody expect(WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(ProblemBody.class)
                .returnResult()
                .getResponseBody();
    }
}
