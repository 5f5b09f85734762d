package dev.keiko.activities.mcp;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.util.List;
import java.util.Map;

/**
 * A stdio transport whose server process does not inherit the worker's environment. The SDK starts
 * from {@link ProcessBuilder}'s copy of the whole environment (database password, LLM keys, the
 * Temporal API key...) and adds the definition's {@code env}; here the copy is emptied first and only
 * {@code keiko.mcp.inherited-env} is taken over. The SDK's parameters still carry its own short list
 * ({@code HOME}, {@code LOGNAME}, {@code PATH}, {@code SHELL}, {@code TERM}, {@code USER}).
 */
final class IsolatedStdioTransport extends StdioClientTransport {

    private final List<String> inherited;

    IsolatedStdioTransport(ServerParameters parameters, McpJsonMapper json, List<String> inherited) {
        super(parameters, json);
        this.inherited = List.copyOf(inherited);
    }

    @Override
    protected ProcessBuilder getProcessBuilder() {
        ProcessBuilder builder = super.getProcessBuilder();
        Map<String, String> environment = builder.environment();
        environment.clear();
        for (String name : inherited) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        return builder;
    }
}
