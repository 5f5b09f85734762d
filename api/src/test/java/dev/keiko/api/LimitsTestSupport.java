package dev.keiko.api;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * One API context with small limits, shared by the tests of logins, password hashing and event streams:
 * a login window of 4 s, 3 failures per username at one address, 6 per address, 8 per username from
 * everywhere, with 127.0.0.1 as a trusted proxy so that {@code X-Forwarded-For} names each test's own client
 * address; 2 hashing threads with 2 places to wait, a gate to hold them; 2 event streams per user and a
 * user check every 300 ms; one configured MCP server.
 */
@TestPropertySource(properties = {
    "keiko.auth.login-throttle.failures-per-username-and-address=3",
    "keiko.auth.login-throttle.failures-per-address=6",
    "keiko.auth.login-throttle.failures-per-username-everywhere=8",
    "keiko.auth.login-throttle.window=4s",
    "keiko.auth.login-throttle.trusted-proxies=127.0.0.1,::1",
    "keiko.auth.password-hashing.threads=2",
    "keiko.auth.password-hashing.queue=2",
    "keiko.api.max-streams-per-user=2",
    "keiko.api.stream-user-check-interval=300ms",
    "keiko.mcp.tools-lookup-timeout=1s",
    "keiko.mcp.servers." + LimitsTestSupport.MCP_SERVER + ".command=node"
})
@Import(GatedPasswordEncoder.Configuration.class)
public abstract class LimitsTestSupport extends ApiTestSupport {

    protected static final String MCP_SERVER = "limits-test-server";
}
