package dev.keiko.domain.mcp;

/** An MCP server URL that points inside: at loopback, a private network, a cloud metadata service... */
public class AddressNotAllowedException extends RuntimeException {

    public AddressNotAllowedException(String message) {
        super(message);
    }
}
