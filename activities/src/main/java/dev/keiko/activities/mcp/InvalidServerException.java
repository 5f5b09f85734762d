package dev.keiko.activities.mcp;

/** A server definition that cannot work however often it is tried: no command, a malformed URL... */
public class InvalidServerException extends RuntimeException {

    public InvalidServerException(String message) {
        super(message);
    }

    public InvalidServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
