package dev.keiko.launcher;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.domain.mcp.McpServerPolicy;
import dev.keiko.domain.mcp.McpTransport;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import reactor.core.publisher.Mono;

/**
 * Registers the reference MCP server {@code everything} (installed by the build under
 * {@code mcp-servers/}) so a fresh dev system can run tool tasks at once. Registered in PostgreSQL,
 * so every worker that joins sees it too.
 *
 * <p>Tasks may call only its pure tools ({@link #EVERYTHING_TOOLS}), which neither read the worker's
 * environment ({@code get-env}), nor fetch URLs ({@code gzip-file-as-resource}), nor change the
 * session every task on a worker shares ({@code toggle-simulated-logging}, {@code
 * toggle-subscriber-updates}); the tools it offers only to clients with sampling, elicitation, roots
 * or tasks support, which Keiko's client has not, are left out too.
 */
final class DevMcpServers {

    static final String EVERYTHING = "everything";
    static final List<String> EVERYTHING_TOOLS = List.of("echo", "get-sum", "get-annotated-message",
            "get-structured-content", "get-tiny-image", "get-resource-links", "get-resource-reference",
            "trigger-long-running-operation");
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
        registerEverything(context.getBean(McpServerCatalog.class), script);
    }

    /**
     * Registers {@code everything} when absent. A registration of this launcher's own command without a tool
     * allow-list (from a database made before allow-lists existed, where {@code allowed_tools} is NULL) gets
     * {@link #EVERYTHING_TOOLS} and keeps its registrant; any other registration of that name is someone's
     * choice and left alone.
     */
    static void registerEverything(McpServerCatalog catalog, Path script) {
        McpServer everything = new McpServer(EVERYTHING, McpTransport.STDIO, "node",
                List.of(script.toString(), "stdio"), Map.of(), null, Map.of(), McpServer.FROM_API,
                new McpServerPolicy(EVERYTHING_TOOLS, null));
        String outcome = catalog.find(EVERYTHING)
                .flatMap(existing -> isOpenLauncherRegistration(existing) ? limit(catalog, existing)
                        : Mono.just(""))
                .switchIfEmpty(Mono.defer(() -> catalog.register(everything, null)
                        .map(registered -> "registered MCP server 'everything' (stdio: node " + script
                                + "); tasks may call")))
                .blockOptional().orElse("");
        if (!outcome.isEmpty()) {
            System.out.println("keiko-dev: " + outcome + " " + String.join(", ", EVERYTHING_TOOLS));
        }
    }

    private static Mono<String> limit(McpServerCatalog catalog, McpServer existing) {
        return catalog.limitTools(existing, EVERYTHING_TOOLS)
                .map(limited -> "limited MCP server 'everything', registered before tool allow-lists existed, so"
                        + " that tasks may call only");
    }

    /** This launcher's registration from any checkout (the script's path is absolute), without an allow-list. */
    static boolean isOpenLauncherRegistration(McpServer existing) {
        List<String> args = existing.args();
        return McpServer.FROM_API.equals(existing.source()) && existing.policy().allowedTools() == null
                && "node".equals(existing.command()) && args.size() == 2
                && isLauncherScript(args.getFirst()) && "stdio".equals(args.getLast());
    }

    /** An argument that is no path on this system (a NUL in it, say) is no launcher's script. */
    private static boolean isLauncherScript(String arg) {
        try {
            return Path.of(arg).endsWith(SCRIPT);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
