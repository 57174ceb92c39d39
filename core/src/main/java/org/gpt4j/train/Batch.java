package org.gpt4j.train;

/**
 * B windows of T token ids and their next-token targets, row-major {@code [B, T]} (a target of -1
 * is ignored), as {@link org.gpt4j.model.Gpt#forward(int[], int[], int, int)} takes them.
 */
public record Batch(int[] tokens, int[] targets, int batch, int length) {

    public Batch {
        if (tokens.length != batch * length || targets.length != batch * length) {
            throw new IllegalArgumentException("a batch of " + batch + " x " + length + " needs " + batch * length
                    + " tokens and targets, got " + tokens.length + " and " + targets.length);
        }
    }

    /** The windows starting at {@code starts}, each {@code length} tokens plus the next one as target. */
    static Batch windows(TokenSequence ids, long[] starts, int length) {
        int b = starts.length;
        int[] tokens = new int[b * length];
        int[] targets = new int[b * length];
        int[] row = new int[length + 1];
        for (int i = 0; i < b; i++) {
            ids.copy(starts[i], row, 0, length + 1);
            System.arraycopy(row, 0, tokens, i * length, length);
            System.arraycopy(row, 1, targets, i * length, length);
        }
        return new Batch(tokens, targets, b, length);
    }
}
