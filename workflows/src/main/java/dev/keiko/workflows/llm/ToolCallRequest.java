package dev.keiko.workflows.llm;

/**
 * A tool call a model asked for, as the provider sent it: its id, the function's name and its arguments as
 * a JSON string. The id and the name may be missing (null); missing arguments are {@link #NO_ARGUMENTS}. The
 * workflow checks each call before it runs.
 */
public record ToolCallRequest(String id, String name, String argumentsJson) {

    /** The arguments of a call that sent none. */
    public static final String NO_ARGUMENTS = "{}";
}
