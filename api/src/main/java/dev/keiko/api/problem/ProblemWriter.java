package dev.keiko.api.problem;

import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;

/** The codec that writes {@code application/problem+json}, for handlers that answer outside the controllers. */
public final class ProblemWriter {

    private ProblemWriter() {
    }

    @SuppressWarnings("unchecked")
    public static HttpMessageWriter<ProblemDetail> of(ServerCodecConfigurer codecs) {
        return codecs.getWriters().stream()
                .filter(candidate -> candidate.canWrite(ResolvableType.forClass(ProblemDetail.class),
                        MediaType.APPLICATION_PROBLEM_JSON))
                .map(candidate -> (HttpMessageWriter<ProblemDetail>) candidate)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No codec writes application/problem+json"));
    }
}
