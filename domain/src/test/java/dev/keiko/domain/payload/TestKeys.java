package dev.keiko.domain.payload;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/** Fresh random payload keys, as {@code keiko.payloads.encryption.keys} entries. */
final class TestKeys {

    private TestKeys() {
    }

    static String entry(String id) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    static EncryptingPayloadCodec codec(String... entries) {
        return new EncryptingPayloadCodec(new PayloadEncryptionProperties(List.of(entries)));
    }
}
