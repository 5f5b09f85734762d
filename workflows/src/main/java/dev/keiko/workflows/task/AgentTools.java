package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ToolDefinition;
import dev.keiko.workflows.task.AgentTaskParameters.ToolSelection;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolDescriptor;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MCP tools an agent may call, listed from their servers through activities and offered to the
 * model under function names it accepts ({@code server__tool}, letters, digits, {@code _} and {@code -}).
 */
final class AgentTools {

    /** A function name the model sees, and the MCP tool it stands for. */
    record Target(String server, String tool) {
    }

    private static final int MAX_NAME_LENGTH = 64;

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final List<ToolDefinition> definitions = new ArrayList<>();

    static AgentTools resolve(List<ToolSelection> selections) {
        ToolActivities tools = Workflow.newActivityStub(ToolActivities.class, TaskActivityOptions.toolListing());
        AgentTools resolved = new AgentTools();
        Set<String> servers = new LinkedHashSet<>();
        selections.forEach(selection -> servers.add(selection.server()));
        for (String server : servers) {
            List<ToolDescriptor> offered = tools.listTools(new ListToolsInput(server)).tools();
            for (ToolSelection selection : selections) {
                if (selection.server().equals(server)) {
                    resolved.add(server, selection.tool(), offered);
                }
            }
        }
        return resolved;
    }

    List<ToolDefinition> definitions() {
        return List.copyOf(definitions);
    }

    Target target(String functionName) {
        return targets.get(functionName);
    }

    private void add(String server, String tool, List<ToolDescriptor> offered) {
        boolean found = false;
        for (ToolDescriptor descriptor : offered) {
            if (tool == null || descriptor.name().equals(tool)) {
                found = true;
                if (!targets.containsValue(new Target(server, descriptor.name()))) {
                    String name = functionName(server, descriptor.name());
                    targets.put(name, new Target(server, descriptor.name()));
                    definitions.add(new ToolDefinition(name, descriptor.description(), descriptor.inputSchema()));
                }
            }
        }
        if (tool != null && !found) {
            throw new InvalidParametersException("MCP server '" + server + "' has no tool '" + tool + "'");
        }
    }

    private String functionName(String server, String tool) {
        String base = (server + "__" + tool).replaceAll("[^a-zA-Z0-9_-]", "_");
        base = base.length() > MAX_NAME_LENGTH - 4 ? base.substring(0, MAX_NAME_LENGTH - 4) : base;
        String name = base;
        for (int i = 2; targets.containsKey(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
