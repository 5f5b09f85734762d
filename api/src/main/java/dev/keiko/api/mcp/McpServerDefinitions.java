package dev.keiko.api.mcp;

import dev.keiko.api.problem.Problems;
import dev.keiko.domain.mcp.AddressNotAllowedException;
import dev.keiko.domain.mcp.McpNetworkGuard;
import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerPolicy;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.domain.user.Role;
import dev.keiko.workflows.tool.McpNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Turns a registration request into a server definition, or a 400 that says what does not fit, or a
 * 422 when it would reach inside: a URL whose host is a metadata name or resolves to an address
 * {@code keiko.mcp.allowed-networks} does not allow, or headers addressed to metadata services. A
 * name that does not resolve now is accepted: workers check again on every connect.
 */
@Component
class McpServerDefinitions {

    private static final Logger log = LoggerFactory.getLogger(McpServerDefinitions.class);
    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(3);
    private static final Pattern HTTP_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    // The JDK client refuses to send these (jdk.httpclient.allowRestrictedHeaders aside).
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");
    private static final Set<String> METADATA_HEADERS = Set.of("metadata-flavor", "metadata",
            "x-aws-ec2-metadata-token", "x-aws-ec2-metadata-token-ttl-seconds", "x-google-metadata-request");

    private final McpNetworkGuard guard;

    McpServerDefinitions(McpProperties properties) {
        this.guard = new McpNetworkGuard(properties.allowedNetworks());
    }

    Mono<McpServer> toServer(McpServerRequest request) {
        McpServer server = definition(request);
        if (server.url() == null) {
            return Mono.just(server);
        }
        URI url = URI.create(server.url());
        return Mono.fromCallable(() -> {
                    guard.check(url);
                    return server;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(RESOLVE_TIMEOUT)
                .onErrorResume(e -> e instanceof UnknownHostException || e instanceof TimeoutException, e -> {
                    log.info("MCP server '{}' is registered with a host that does not resolve now", server.name());
                    return Mono.just(server);
                })
                .onErrorMap(AddressNotAllowedException.class, e -> Problems.unprocessable(e.getMessage()));
    }

    private McpServer definition(McpServerRequest request) {
        McpTransport transport;
        try {
            transport = request.transport() == null ? null : McpTransport.of(request.transport());
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(e.getMessage());
        }
        boolean hasCommand = request.command() != null && !request.command().isBlank();
        boolean hasUrl = request.url() != null && !request.url().isBlank();
        if (hasCommand == hasUrl) {
            throw Problems.badRequest("Give either 'command' (a stdio server) or 'url' (an HTTP server), not both");
        }
        if (transport == McpTransport.STDIO && !hasCommand) {
            throw Problems.badRequest("A stdio server needs 'command'");
        }
        if (transport != null && transport.isHttp() && !hasUrl) {
            throw Problems.badRequest("A " + transport.value() + " server needs 'url'");
        }
        if (hasUrl) {
            checkUrl(request.url());
        }
        if (request.args() != null && request.args().contains(null)) {
            throw Problems.badRequest("'args' must not contain null");
        }
        checkEntries("env", request.env());
        checkEntries("headers", request.headers());
        checkHeaders(request.headers());
        McpTransport resolved = transport == null && hasCommand ? McpTransport.STDIO : transport;
        return new McpServer(request.name(), resolved, hasCommand ? request.command() : null, request.args(),
                request.env(), hasUrl ? request.url() : null, request.headers(), McpServer.FROM_API,
                new McpServerPolicy(allowedTools(request.allowedTools()), allowedRoles(request.allowedRoles())));
    }

    private static List<String> allowedTools(List<String> tools) {
        if (tools == null) {
            return null;
        }
        if (!tools.stream().allMatch(McpNames::isToolName)) {
            throw Problems.badRequest("'allowedTools' must hold tool names of " + McpNames.TOOL_RULE);
        }
        return tools.stream().distinct().sorted().toList();
    }

    private static List<Role> allowedRoles(List<String> roles) {
        if (roles == null) {
            return null;
        }
        try {
            return roles.stream().map(Role::of).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("'allowedRoles': " + e.getMessage());
        }
    }

    private static void checkEntries(String field, Map<String, String> entries) {
        if (entries != null && entries.entrySet().stream()
                .anyMatch(entry -> entry.getKey() == null || entry.getKey().isBlank() || entry.getValue() == null)) {
            throw Problems.badRequest("'" + field + "' must map names to strings, without nulls or blank names");
        }
    }

    /** Headers the JDK's HTTP client would refuse on every request are refused here, once. */
    private static void checkHeaders(Map<String, String> headers) {
        if (headers == null) {
            return;
        }
        headers.forEach((header, value) -> {
            if (!HTTP_TOKEN.matcher(header).matches()) {
                throw Problems.badRequest("'headers' may only hold names that are HTTP tokens (letters, digits and"
                        + " !#$%&'*+-.^_`|~)");
            }
            String lowerCase = header.toLowerCase(Locale.ROOT);
            if (RESTRICTED_HEADERS.contains(lowerCase)) {
                throw Problems.badRequest("Header '" + header + "' is set by the HTTP client itself and may not be"
                        + " registered");
            }
            if (METADATA_HEADERS.contains(lowerCase)) {
                throw Problems.unprocessable("Header '" + header + "' addresses cloud metadata services, which MCP"
                        + " servers may not");
            }
            try {
                HttpRequest.newBuilder().setHeader(header, value);
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest("The value of header '" + header + "' holds characters an HTTP header"
                        + " may not (line breaks, control characters)");
            }
        });
    }

    private void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw Problems.badRequest("'url' must be an absolute http or https URL; got '" + url + "'");
            }
            guard.checkName(uri);
        } catch (URISyntaxException e) {
            throw Problems.badRequest("'url' is not a valid URL: " + e.getMessage());
        } catch (AddressNotAllowedException e) {
            throw Problems.unprocessable(e.getMessage());
        }
    }
}
