package dev.keiko.activities.mcp;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An MCP server built with the SDK's server API on embedded Tomcat: streamable HTTP at
 * {@code /mcp}, SSE at {@code /sse}, both offering {@link TestTools}, and a server without tools
 * at {@code /no-tools}. Restarts on the same port.
 */
public final class InJvmMcpServer implements AutoCloseable {

    private final int port = EverythingServer.freePort();
    private final McpTraffic traffic = new McpTraffic();
    private final TestTools tools = new TestTools(traffic);
    private Tomcat tomcat;
    private List<McpAsyncServer> servers = List.of();

    public static InJvmMcpServer start() {
        InJvmMcpServer server = new InJvmMcpServer();
        server.restart();
        return server;
    }

    public McpTraffic traffic() {
        return traffic;
    }

    public TestTools tools() {
        return tools;
    }

    /** A definition of this server whose requests {@link McpTraffic} files under {@code name}. */
    public McpServer definition(String name, McpTransport transport, String path, Map<String, String> headers) {
        Map<String, String> tagged = new HashMap<>(headers);
        tagged.put(McpTraffic.CLIENT_HEADER, name);
        return new McpServer(name, transport, null, List.of(), Map.of(), "http://127.0.0.1:" + port + path, tagged,
                McpServer.FROM_API);
    }

    public McpServer definition(String name, McpTransport transport) {
        return definition(name, transport, transport == McpTransport.SSE ? "/sse" : "/mcp", Map.of());
    }

    /** Starts the server, stopping it first when it runs: its sessions are gone afterwards. */
    @SuppressWarnings("deprecation") // the SSE transport, which the client still supports
    public void restart() {
        stop();
        try {
            HttpServletStreamableServerTransportProvider streamable = HttpServletStreamableServerTransportProvider
                    .builder().mcpEndpoint("/mcp").build();
            HttpServletSseServerTransportProvider sse = HttpServletSseServerTransportProvider.builder()
                    .sseEndpoint("/sse").messageEndpoint("/message").build();
            HttpServletStreamableServerTransportProvider toolless = HttpServletStreamableServerTransportProvider
                    .builder().mcpEndpoint("/no-tools").build();
            servers = List.of(tools.register(io.modelcontextprotocol.server.McpServer.async(streamable)),
                    tools.register(io.modelcontextprotocol.server.McpServer.async(sse)),
                    io.modelcontextprotocol.server.McpServer.async(toolless)
                            .serverInfo("keiko-toolless-server", "1.0.0")
                            .capabilities(McpSchema.ServerCapabilities.builder().build())
                            .build());
            tomcat = new Tomcat();
            tomcat.setBaseDir(Files.createTempDirectory("mcp-tomcat").toString());
            tomcat.setPort(port);
            Context context = tomcat.addContext("", null);
            addServlet(context, "streamable", streamable, "/mcp");
            addServlet(context, "sse", sse, "/sse", "/message");
            addServlet(context, "no-tools", toolless, "/no-tools");
            FilterDef filter = new FilterDef();
            filter.setFilterName("traffic");
            filter.setFilter(traffic);
            filter.setAsyncSupported("true");
            context.addFilterDef(filter);
            FilterMap mapping = new FilterMap();
            mapping.setFilterName("traffic");
            mapping.addURLPattern("/*");
            context.addFilterMap(mapping);
            tomcat.getConnector();
            tomcat.start();
        } catch (Exception e) {
            throw new IllegalStateException("The in-JVM MCP server did not start", e);
        }
    }

    public void stop() {
        servers.forEach(McpAsyncServer::close);
        servers = List.of();
        if (tomcat != null) {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                throw new IllegalStateException(e);
            }
            tomcat = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void addServlet(Context context, String name, HttpServlet servlet, String... paths) {
        Tomcat.addServlet(context, name, servlet).setAsyncSupported(true);
        for (String path : paths) {
            context.addServletMappingDecoded(path, name);
        }
    }

    static McpSchema.ServerCapabilities capabilities() {
        return McpSchema.ServerCapabilities.builder().tools(true).build();
    }
}
