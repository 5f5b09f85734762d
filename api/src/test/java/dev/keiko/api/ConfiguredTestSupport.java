package dev.keiko.api;

import org.springframework.test.context.TestPropertySource;

/**
 * One API context with MCP servers and Azure deployments from configuration, shared by the tests of agents,
 * routing, tool policies, model names and configured servers (one context rather than one each): {@code limited}
 * allowing {@code echo} and {@code get-sum}, {@code admins-only} for admins, {@code staff-only} for admins and
 * operators, {@code configured} running {@code server.js}; MCP servers on loopback may be registered; Azure with
 * {@code gpt-4o} (the default), {@code gpt-4o-mini} and {@code o3}, and {@code dall-e-3} for images. No worker
 * runs: a tool lookup gives up after 1 s.
 */
@TestPropertySource(properties = {
    "keiko.mcp.servers.limited.command=node",
    "keiko.mcp.servers.limited.allowed-tools=echo,get-sum",
    "keiko.mcp.servers.admins-only.command=node",
    "keiko.mcp.servers.admins-only.allowed-roles=admin",
    "keiko.mcp.servers.staff-only.command=node",
    "keiko.mcp.servers.staff-only.allowed-roles=admin,operator",
    "keiko.mcp.servers.configured.command=node",
    "keiko.mcp.servers.configured.args[0]=server.js",
    "keiko.mcp.allowed-networks=127.0.0.0/8,::1/128",
    "keiko.mcp.tools-lookup-timeout=1s",
    "keiko.llm.provider=azure",
    "keiko.llm.azure.endpoint=http://127.0.0.1:9",
    "keiko.llm.azure.api-key=test-key",
    "keiko.llm.azure.deployment=gpt-4o",
    "keiko.llm.azure.deployments=gpt-4o-mini,o3",
    "keiko.llm.azure.image-deployment=dall-e-3"
})
public abstract class ConfiguredTestSupport extends ApiTestSupport {
}
