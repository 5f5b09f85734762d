package dev.keiko.launcher;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.domain.mcp.McpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import reactor.core.publisher.Mono;

/**
 * Registers the reference MCP server {@code everything} (installed by the build under
 * {@code mcp-servers/}) so a fresh dev system can run tool tasks at once. Registered in PostgreSQL,
 * so every worker that joins sees it too.
 */
final class DevMcpServers {

    static final String EVERYTHING = "everything";
    private static final Path SCRIPT =
            Path.of("mcp-servers/node_modules/@modelcontextprotocol/server-everything/dist/index.js");

    private DevMcpServers() {
    }

    static void registerEverything(ApplicationContext context) {
        Path script = SCRIPT.toAbsolutePath().normalize();
        if (!Files.isRegularFile(script)) {
            System.out.println("keiko-dev: " + script + " is missing; run the build to install the MCP server"
                    + " 'everything'");
            return;
        }
        McpServerCatalog catalog = context.getBean(McpServerCatalog.class);
        McpServer everything = new McpServer(EVERYTHING, McpTransport.STDIO, "node",
                List.of(script.toString(), "stdio"), Map.of(), null, Map.of(), McpServer.FROM_API);
        boolean added = catalog.find(EVERYTHING)
                .hasElement()
                .flatMap(exists -> exists ? Mono.just(false)
                        : catalog.register(everything, null).hasElement())
                .blockOptional().orElse(false);
        if (added) {
            System.out.println("keiko-dev: registered MCP server 'everything' (stdio: node " + script + ")");
        }
    }
}
