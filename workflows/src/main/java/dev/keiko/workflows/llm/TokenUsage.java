package dev.keiko.workflows.llm;

/**
 * Tokens one model call used.
 *
 * @param estimated the provider reported no usage (a stream without its usage chunk, or a call cancelled
 *     mid-answer), so the counts are Keiko's estimate of about four characters a token
 */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens, boolean estimated) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    /** Usage as the provider reported it. */
    public TokenUsage(long promptTokens, long completionTokens, long totalTokens) {
        this(promptTokens, completionTokens, totalTokens, false);
    }

    /** The sum; an estimate when either part is one. */
    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                totalTokens + other.totalTokens, estimated || other.estimated);
    }
}
