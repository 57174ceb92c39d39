package org.gpt4j.server.openai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The server's API key, checked against a request's {@code Authorization: Bearer KEY} in constant
 * time: both sides are hashed first, so neither the key's bytes nor its length show in how long a
 * wrong guess takes to be refused.
 */
final class ApiKey {

    private static final String BEARER = "Bearer ";

    private final byte[] digest;

    ApiKey(String key) {
        this.digest = sha256(key);
    }

    /** Throws 401 unless the header carries the key. */
    void check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(401, ApiException.INVALID_REQUEST, null, "invalid_api_key",
                    "You didn't provide an API key. Send it in an Authorization header: 'Authorization: Bearer YOUR_KEY'.");
        }
        String given = authorization.substring(BEARER.length()).strip();
        if (!MessageDigest.isEqual(digest, sha256(given))) {
            throw new ApiException(401, ApiException.INVALID_REQUEST, null, "invalid_api_key",
                    "Incorrect API key provided.");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
