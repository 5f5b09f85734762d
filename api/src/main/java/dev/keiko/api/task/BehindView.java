package dev.keiko.api.task;

/**
 * A {@code behind} event: the client read more slowly than the task's events came, so the stream reads on from the
 * database after event {@code after}; no event is lost.
 */
record BehindView(long after) {}
