package dev.keiko.domain.payload;

/**
 * A payload was encrypted with a key this process does not have: its configuration lacks a key that others
 * have, or a key was removed too early. Not a {@code PayloadCodecException}, which fails a task for good: a
 * workflow task that meets this fails and is retried, so that a worker with every key carries the task on; an
 * activity attempt that meets it in its input fails and uses up one of its attempts.
 */
public class PayloadKeyMissingException extends IllegalStateException {

    PayloadKeyMissingException(String keyId) {
        super("The payload was encrypted with key '" + keyId + "', which is not in "
                + PayloadEncryptionProperties.SETTING + ": keep every key that encrypted payloads still kept");
    }
}
