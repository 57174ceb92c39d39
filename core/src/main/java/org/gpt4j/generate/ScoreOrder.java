package org.gpt4j.generate;

/**
 * Stable orderings of a score row without boxing: each score's order-preserving bits and its index
 * packed into one long, so equal scores keep index order (as torch.sort(stable=True)).
 */
final class ScoreOrder {

    private ScoreOrder() {
    }

    /** Indices from the lowest score to the highest. */
    static int[] ascending(float[] scores) {
        return sorted(scores, false);
    }

    /** Indices from the highest score to the lowest. */
    static int[] descending(float[] scores) {
        return sorted(scores, true);
    }

    private static int[] sorted(float[] scores, boolean descending) {
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int bits = Float.floatToIntBits(scores[i] == 0f ? 0f : scores[i]);
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) (descending ? ~ordered : ordered) << 32) | i;
        }
        java.util.Arrays.sort(keys);
        int[] out = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }
}
