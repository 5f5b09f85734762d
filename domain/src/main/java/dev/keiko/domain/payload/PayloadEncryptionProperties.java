package dev.keiko.domain.payload;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys that encrypt Temporal payloads, {@code keiko.payloads.encryption.keys} (env
 * {@code KEIKO_PAYLOADS_ENCRYPTION_KEYS}): comma-separated {@code id:base64-of-32-bytes}. The first
 * encrypts; all decrypt, so a key is rotated by putting a new one first and keeping the old ones for as
 * long as histories or offloaded payloads encrypted with them are kept. Start-up fails without a valid
 * key; no message ever shows a key, only its id.
 *
 * @param keys the keys, the one that encrypts first
 * @param encrypt false to decrypt what is encrypted but write payloads in the clear: the first step of
 *     upgrading from a Keiko that did not encrypt, so that processes of both versions read what the other wrote
 */
@ConfigurationProperties("keiko.payloads.encryption")
public record PayloadEncryptionProperties(List<String> keys, @DefaultValue("true") boolean encrypt) {

    static final String SETTING = "KEIKO_PAYLOADS_ENCRYPTION_KEYS (keiko.payloads.encryption.keys)";
    /** Key ids travel in every payload, and summaries must stay within the server's 400 bytes. */
    public static final int MAX_KEY_ID_LENGTH = 16;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_KEY_ID_LENGTH + "}");
    private static final int KEY_BYTES = 32;

    @ConstructorBinding
    public PayloadEncryptionProperties {
        keys = keys == null ? List.of() : List.copyOf(keys);
        parse(keys);
    }

    public PayloadEncryptionProperties(List<String> keys) {
        this(keys, true);
    }

    /** The keys by id, in the order given: the first encrypts. */
    public Map<String, SecretKey> secretKeys() {
        return parse(keys);
    }

    /** Never shows the keys, wherever properties are printed. */
    @Override
    public String toString() {
        return "PayloadEncryptionProperties[keyIds=" + new ArrayList<>(parse(keys).keySet()) + ", encrypt=" + encrypt + "]";
    }

    private static Map<String, SecretKey> parse(List<String> entries) {
        List<String> given = entries.stream().map(String::strip).filter(entry -> !entry.isEmpty()).toList();
        if (given.isEmpty()) {
            throw new IllegalArgumentException("No payload encryption key: set " + SETTING
                    + " to id:base64 of 32 random bytes, for example key1:$(openssl rand -base64 32)");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (int i = 0; i < given.size(); i++) {
            String entry = given.get(i);
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon);
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("Entry " + (i + 1) + " of " + SETTING + " must be id:base64, the id"
                        + " 1 to " + MAX_KEY_ID_LENGTH + " of A-Z a-z 0-9 . _ -");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The key '" + id + "' in " + SETTING + " is not valid base64");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("The key '" + id + "' in " + SETTING + " is " + key.length
                        + " bytes; AES-256 needs " + KEY_BYTES);
            }
            if (keys.put(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("The key id '" + id + "' appears twice in " + SETTING);
            }
        }
        return keys;
    }
}
