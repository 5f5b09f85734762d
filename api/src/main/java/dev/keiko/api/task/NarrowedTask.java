package dev.keiko.api.task;

import java.util.Map;

/** A routed task's effective parameters and timeout: what is stored and what runs. */
record NarrowedTask(Map<String, Object> parameters, int timeoutSeconds) {
}
