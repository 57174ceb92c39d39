package org.gpt4j.io;

/**
 * The element types a safetensors header may name, with their sizes, so that any file's header
 * can be validated even when gpt4j cannot convert its values to float.
 */
enum SafetensorsDtype {
    BOOL(1), U8(1), I8(1), F8_E4M3(1), F8_E5M2(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** The dtype with this exact header name, or null when there is none. */
    static SafetensorsDtype parse(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
