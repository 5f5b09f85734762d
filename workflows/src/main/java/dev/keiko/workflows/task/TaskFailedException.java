package dev.keiko.workflows.task;

/** Ends a task as failed with an error type of its own, keeping what it had produced as its data. */
class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorType;

    TaskFailedException(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    String errorType() {
        return errorType;
    }
}
