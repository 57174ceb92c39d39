package org.gpt4j.server.openai;

/**
 * How the server listens and what it accepts.
 *
 * @param host         the address to listen on (loopback by default: this machine only)
 * @param port         the port; 0 picks a free one
 * @param apiKey       the key every request but {@code /health} and {@code /metrics} must carry
 *                     as {@code Authorization: Bearer KEY}; null for none
 * @param maxBodyBytes the largest request body read; larger ones get 413
 * @param maxTokens    the most new tokens a request may ask per choice; 0 for the context window
 */
public record ServerOptions(String host, int port, String apiKey, int maxBodyBytes, int maxTokens) {

    /** 1 MiB: room for a prompt that fills any context window, as text or ids. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body bound must be at least 1024 bytes, got " + maxBodyBytes);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0 (0 = the context window), got " + maxTokens);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
    }

    /** Loopback on {@code port}, no key, 1 MiB bodies, max_tokens up to the context window. */
    public static ServerOptions loopback(int port) {
        return new ServerOptions("127.0.0.1", port, null, DEFAULT_MAX_BODY_BYTES, 0);
    }

    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, key, maxBodyBytes, maxTokens);
    }

    public ServerOptions withMaxBodyBytes(int bytes) {
        return new ServerOptions(host, port, apiKey, bytes, maxTokens);
    }

    public ServerOptions withMaxTokens(int tokens) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, tokens);
    }
}
