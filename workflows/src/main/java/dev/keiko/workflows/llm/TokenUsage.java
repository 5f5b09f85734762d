package dev.keiko.workflows.llm;

/** Tokens one model call used. */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                totalTokens + other.totalTokens);
    }
}
