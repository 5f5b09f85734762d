// A stdio MCP server that lists its tools over several pages, which server-everything does not.
// Run with NODE_PATH pointing at mcp-servers/node_modules.
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { CallToolRequestSchema, ListToolsRequestSchema } = require("@modelcontextprotocol/sdk/types.js");

const pages = [["alpha", "beta"], ["gamma"], ["delta"]];
const server = new Server({ name: "paged-tools", version: "1.0.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const page = Number(request.params?.cursor ?? 0);
    return {
        tools: pages[page].map((name) => ({ name, description: `Tool ${name}`, inputSchema: { type: "object" } })),
        nextCursor: page + 1 < pages.length ? String(page + 1) : undefined,
    };
});

server.setRequestHandler(CallToolRequestSchema, async (request) => ({
    content: [{ type: "text", text: `called ${request.params.name}` }],
}));

server.connect(new StdioServerTransport());
