package org.gpt4j.server.openai;

import java.util.UUID;

/**
 * What every object of one answer shares: its id ({@code cmpl-...} or {@code chatcmpl-...}, the
 * same in every chunk of a stream), when it was created (Unix seconds) and the model's id.
 */
record ResponseMeta(String id, long created, String model) {

    static ResponseMeta of(String prefix, String model) {
        return new ResponseMeta(prefix + UUID.randomUUID().toString().replace("-", ""),
                System.currentTimeMillis() / 1000, model);
    }
}
