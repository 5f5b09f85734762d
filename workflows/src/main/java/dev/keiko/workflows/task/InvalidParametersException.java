package dev.keiko.workflows.task;

/** A task's parameters do not fit its type; the message says what is wrong, naming the parameter. */
public class InvalidParametersException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidParametersException(String message) {
        super(message);
    }
}
