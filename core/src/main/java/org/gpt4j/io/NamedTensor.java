package org.gpt4j.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor to write: its name in the file, its shape, and its values in row-major order.
 * The values are not copied (a checkpoint's arrays can be hundreds of megabytes); the shape is.
 */
public record NamedTensor(String name, int[] shape, float[] data) {

    public NamedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape of tensor '" + name + "'");
        Objects.requireNonNull(data, "data of tensor '" + name + "'");
        shape = shape.clone();
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                        + Arrays.toString(shape));
            }
            // Saturates above int range instead of overflowing: no array is that long anyway.
            count = d == 0 ? 0 : count > Integer.MAX_VALUE ? count : count * d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " needs " + count + " values, got " + data.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }
}
