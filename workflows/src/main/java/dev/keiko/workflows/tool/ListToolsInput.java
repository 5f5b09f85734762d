package dev.keiko.workflows.tool;

/** Which server's tools to list. */
public record ListToolsInput(String server) {
}
