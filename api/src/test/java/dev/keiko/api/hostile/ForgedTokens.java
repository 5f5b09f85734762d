package dev.keiko.api.hostile;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-made JWTs, so that every part an attacker controls (header, claims, signature) can be chosen: the
 * API's own secret where a token is correctly signed but wrong in another way, another key where it is not.
 */
final class ForgedTokens {

    static final String ATTACKER_SECRET = "an-attacker-secret-that-is-long-enough-for-hs256";

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final String apiSecret;

    ForgedTokens(String apiSecret) {
        this.apiSecret = apiSecret;
    }

    /** Claims in the shape the API issues: subject = user id, username, role, iat and exp. */
    static String claims(String subject, String role, Instant expiresAt) {
        return "{\"sub\":\"" + subject + "\",\"username\":\"forged\",\"role\":\"" + role + "\",\"iat\":"
                + Instant.now().minusSeconds(60).getEpochSecond() + ",\"exp\":" + expiresAt.getEpochSecond() + "}";
    }

    static String validFor(String subject, String role) {
        return claims(subject, role, Instant.now().plusSeconds(3600));
    }

    String signedByApi(String claims) {
        return sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, "HmacSHA256", apiSecret);
    }

    String signedByApi(String header, String claims, String macAlgorithm) {
        return sign(header, claims, macAlgorithm, apiSecret);
    }

    static String signedByAttacker(String header, String claims) {
        return sign(header, claims, "HmacSHA256", ATTACKER_SECRET);
    }

    /** {@code alg: none} and an empty signature. */
    static String unsigned(String claims) {
        return encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(claims) + ".";
    }

    /** A real token with its claims swapped for others and its signature kept. */
    static String withClaimsReplaced(String token, String claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + encode(claims) + "." + parts[2];
    }

    static String encode(String json) {
        return BASE64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String header, String claims, String macAlgorithm, String secret) {
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64.encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
