package org.gpt4j.generate;

import java.util.Locale;

/** Why a sequence ended. */
public enum FinishReason {
    /** It produced the end-of-sequence token. */
    EOS,
    /** Its text came to contain a stop string. */
    STOP_STRING,
    /** It reached max_new_tokens. */
    LENGTH;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
