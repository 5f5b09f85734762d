package dev.keiko.activities.llm;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.AddHeadersPolicy;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.UrlBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.keiko.domain.llm.LlmProperties;
import java.time.Duration;
import java.util.Locale;

/** Builds the Azure OpenAI client of one endpoint. */
final class AzureOpenAiClients {

    static final HttpHeaderName API_KEY = HttpHeaderName.fromString("api-key");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private AzureOpenAiClients() {
    }

    /** {@code responseTimeout} waits for an answer to begin and between its reads; the activity bounds the call. */
    static OpenAIClient build(LlmProperties.Azure azure, Duration responseTimeout) {
        OpenAIClientBuilder builder = new OpenAIClientBuilder()
                .endpoint(azure.endpoint())
                .httpClient(new JdkHttpClientBuilder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .responseTimeout(responseTimeout)
                        .readTimeout(responseTimeout)
                        .build())
                // Temporal retries, honouring Retry-After across workers; the SDK must not retry on its own.
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
                .addPolicy(new ApiVersionPolicy(azure.apiVersion()));
        boolean hasKey = azure.apiKey() != null && !azure.apiKey().isBlank();
        boolean https = azure.endpoint().trim().toLowerCase(Locale.ROOT).startsWith("https:");
        if (hasKey && https) {
            builder.credential(new AzureKeyCredential(azure.apiKey()));
        } else if (hasKey) {
            // The SDK refuses key credentials over plain HTTP, which local servers and fakes speak.
            builder.addPolicy(new AddHeadersPolicy(new HttpHeaders().set(API_KEY, azure.apiKey())));
        } else if (https) {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        return builder.buildClient();
    }

    /**
     * Sends the configured {@code api-version}: the SDK only offers the versions of its own enum,
     * which lacks GA versions such as 2024-10-21.
     */
    private static final class ApiVersionPolicy extends HttpPipelineSyncPolicy {

        private final String apiVersion;

        ApiVersionPolicy(String apiVersion) {
            this.apiVersion = apiVersion;
        }

        @Override
        protected void beforeSendingRequest(HttpPipelineCallContext context) {
            HttpRequest request = context.getHttpRequest();
            request.setUrl(UrlBuilder.parse(request.getUrl()).setQueryParameter("api-version", apiVersion).toString());
        }
    }
}
