package dev.keiko.workflows.tool;

import java.util.List;

/** The tools a server offers. */
public record ListToolsOutput(List<ToolDescriptor> tools) {
}
