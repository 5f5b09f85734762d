package dev.keiko.domain.mcp;

import dev.keiko.domain.user.Role;
import java.util.List;

/**
 * What tasks may do with one MCP server, as an admin decided: which of its tools they may call and
 * which roles may use it. An absent list ({@code null}, as in the JSON and the table) allows all.
 *
 * @param allowedTools the tools tasks may call, or null for all the server offers
 * @param allowedRoles the roles whose tasks may use the server, or null for every role that creates tasks
 */
public record McpServerPolicy(List<String> allowedTools, List<Role> allowedRoles) {

    public static final McpServerPolicy OPEN = new McpServerPolicy(null, null);

    public McpServerPolicy {
        allowedTools = allowedTools == null ? null : List.copyOf(allowedTools);
        allowedRoles = allowedRoles == null ? null : List.copyOf(allowedRoles);
    }

    public boolean allowsTool(String tool) {
        return allowedTools == null || allowedTools.contains(tool);
    }

    public boolean allowsRole(Role role) {
        return allowedRoles == null || allowedRoles.contains(role);
    }
}
