package org.gpt4j.model;

import org.gpt4j.tensor.ElementwiseKernels;

/** Growth of the activation buffers layers keep between forward and backward. */
final class Buffers {

    private Buffers() {
    }

    /** {@code buffer} if it holds at least n floats, else a new zeroed array of n. */
    static float[] atLeast(float[] buffer, int n) {
        return buffer != null && buffer.length >= n ? buffer : new float[n];
    }

    /** Like {@link #atLeast}, and zeroes the first n values (for buffers gradients add into). */
    static float[] zeroed(float[] buffer, int n) {
        float[] b = atLeast(buffer, n);
        ElementwiseKernels.zero(b, n);
        return b;
    }

    static int checkedProduct(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("activation buffer of " + n
                    + " floats exceeds one Java array: use a smaller batch or sequence");
        }
        return (int) n;
    }
}
