package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Multi-head scaled dot-product attention: for each head, softmax(Q K^T / sqrt(hs) + bias) V.
 * Causal (GPT): a query at position p sees only keys at positions <= p, and the masked work is
 * skipped. Bidirectional (BERT's encoder): every query sees every key, and an optional key bias
 * {@code [B, T]} (0 for a token, {@link #PADDING_BIAS} for padding) keeps padding out, as Hugging
 * Face's extended attention mask does. The attention probabilities are kept (the backward needs
 * them; the trace shows them).
 *
 * <p>Queries, keys and values are read from arrays with offsets and row strides, so the same
 * kernel reads the fused {@code qkv [B, T, 3C]} buffer of training and a separate key/value cache
 * during generation. Rows of a cache hold {@code kvCapacity} positions per sequence; the
 * {@code T} new queries stand at positions {@code past .. past+T-1}.
 *
 * <p>Work is parallel over (sequence, head) pairs. Each pair copies its keys (and, backward, its
 * values) transposed into a per-thread scratch once, so that a query's scores against 16 keys
 * are one vector ({@link AttentionScores}): no horizontal sums, whatever the head size. Scale, mask and softmax are one
 * pass over each row of scores; the weighted sums of value rows keep their running sums in
 * registers.
 */
public final class AttentionKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** From this many queries per sequence on, keys are transposed first. */
    private static final int FEW_QUERIES = 4;

    /**
     * The key bias of a padding position: float32's most negative value, as Hugging Face adds
     * {@code torch.finfo(dtype).min}. Finite, so a row whose keys are all padding still sums to
     * one (uniform, as in transformers) instead of 0/0; any other row gives padding no weight.
     */
    public static final float PADDING_BIAS = -Float.MAX_VALUE;

    /** Per-thread scratch: [0] keys or values transposed, [1] one head's dscores. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private AttentionKernel() {
    }

    /** Where Q, K and V live; see the class comment. */
    public record Layout(float[] q, int qOffset, int qStride,
                         float[] k, int kOffset, float[] v, int vOffset, int kvStride, int kvCapacity) {

        /** Training's fused {@code qkv [B, T, 3C]} buffer: q, k, v side by side in each row. */
        public static Layout fused(float[] qkv, int t, int c) {
            return new Layout(qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, t);
        }
    }

    /**
     * y [B, T, C] = attention output; att [B, NH, T, past+T] = probabilities (zero where masked).
     * {@code dropMask} (same shape as att, or null) multiplies the probabilities on their way to
     * the values — attention dropout — while {@code att} keeps them undropped.
     */
    public static void forward(float[] y, float[] att, float[] dropMask, Layout in, int b, int t, int past,
                               int nh, int hs) {
        forward(y, att, dropMask, in, b, t, past, nh, hs, true, null);
    }

    /**
     * As the causal {@link #forward(float[], float[], float[], Layout, int, int, int, int, int)}, or,
     * with {@code causal} false, bidirectional over the T positions (no cache: past must be 0) with
     * {@code keyBias [B, T]} (or null) added to every query's scores.
     */
    public static void forward(float[] y, float[] att, float[] dropMask, Layout in, int b, int t, int past,
                               int nh, int hs, boolean causal, float[] keyBias) {
        if (!causal && past != 0) {
            throw new IllegalArgumentException("bidirectional attention reads no cache, got past = " + past);
        }
        int c = nh * hs;
        int span = past + t;
        float scale = (float) (1.0 / Math.sqrt(hs));
        long work = causal ? 2L * t * (past + (t + 1) / 2) * hs : 2L * t * t * hs;
        Parallel.forRange(b * nh, work, (p0, p1) -> {
            // A few queries (decoding) take dot products with the keys where they lie; more
            // queries share one transposed copy of the keys.
            boolean transposed = t >= FEW_QUERIES;
            int ld = roundUp(span);
            float[] kt = transposed ? scratch(0, hs * ld + AttentionScores.KT_SLACK) : null;
            for (int pair = p0; pair < p1; pair++) {
                int bi = pair / nh;
                int h = pair % nh;
                int kvBase = bi * in.kvCapacity;
                int ko = in.kOffset + kvBase * in.kvStride + h * hs;
                if (transposed) {
                    AttentionScores.transpose(kt, ld, in.k, ko, in.kvStride, span, hs);
                }
                int vo = in.vOffset + kvBase * in.kvStride + h * hs;
                for (int t0 = 0; t0 < t; t0 += 4) {
                    int rows = Math.min(4, t - t0);
                    int ao0 = ((bi * nh + h) * t + t0) * span;
                    int shared = 0;
                    if (transposed && rows == 4) {
                        // Causal: the four rows' scores over all the keys the last row sees, up to
                        // a whole vector (the others' extra scores are zeroed after their softmax).
                        shared = causal ? Math.min(roundUp(past + t0 + 4), span) : span;
                        AttentionScores.scores4(att, ao0, span, in.q, in.qOffset + (bi * t + t0) * in.qStride + h * hs,
                                in.qStride, kt, ld, shared, hs, scale);
                    }
                    for (int r = 0; r < rows; r++) {
                        int ti = t0 + r;
                        int keys = causal ? past + ti + 1 : span;
                        int qo = in.qOffset + (bi * t + ti) * in.qStride + h * hs;
                        int ao = ao0 + r * span;
                        if (transposed) {
                            AttentionScores.scores(att, ao, in.q, qo, kt, ld, shared, keys, hs, scale);
                        } else {
                            for (int j = 0; j < keys; j++) {
                                att[ao + j] = GemmNT.dot(hs, in.q, qo, in.k, ko + j * in.kvStride) * scale;
                            }
                        }
                        if (keyBias != null) {
                            add(att, ao, keyBias, bi * span, keys);
                        }
                        softmax(att, ao, keys);
                        java.util.Arrays.fill(att, ao + keys, ao + span, 0f);
                    }
                    // y_i = sum_j p_ij v_j for four queries at once over the keys all four see.
                    int yo = (bi * t + t0) * c + h * hs;
                    int common = causal ? past + t0 + 1 : span;
                    if (rows == 4) {
                        WeightedRows.combine4(y, yo, c, false, att, ao0, span, 1, dropMask, in.v, vo, in.kvStride,
                                0, common, hs);
                    }
                    for (int r = rows == 4 ? 1 : 0; r < rows; r++) {
                        int from = rows == 4 ? common : 0;
                        int keys = causal ? past + t0 + r + 1 : span;
                        WeightedRows.combine(y, yo + r * c, rows == 4, att, ao0 + r * span + from, 1, dropMask, in.v,
                                vo + from * in.kvStride, in.kvStride, keys - from, hs);
                    }
                }
            }
        });
    }

    /**
     * Backward for training (no cache, past = 0): given dy [B, T, C], accumulates the gradients
     * of q, k and v into {@code dqkv [B, T, 3C]}. {@code dropMask} is the forward's, or null.
     */
    public static void backward(float[] dqkv, float[] dy, float[] att, float[] dropMask, float[] qkv,
                                int b, int t, int nh, int hs) {
        backward(dqkv, dy, att, dropMask, qkv, b, t, nh, hs, true);
    }

    /**
     * As the causal {@link #backward(float[], float[], float[], float[], float[], int, int, int, int)},
     * or the bidirectional one when {@code causal} is false. A key bias needs nothing here: it is a
     * constant, and the padding it masked has probability 0, so no gradient flows through it.
     */
    public static void backward(float[] dqkv, float[] dy, float[] att, float[] dropMask, float[] qkv,
                                int b, int t, int nh, int hs, boolean causal) {
        int c = nh * hs;
        int c3 = 3 * c;
        float scale = (float) (1.0 / Math.sqrt(hs));
        // Parallel over (batch, head): each pair owns its own columns of dqkv, so no two threads
        // ever add into the same element.
        Parallel.forRange(b * nh, 4L * t * t * hs, (p0, p1) -> {
            int ld = roundUp(t);
            float[] vt = scratch(0, hs * ld + AttentionScores.KT_SLACK);
            float[] ds = scratch(1, t * t);
            for (int p = p0; p < p1; p++) {
                int bi = p / nh;
                int h = p % nh;
                int row0 = bi * t;
                int qo = row0 * c3 + h * hs;
                int ko = qo + c;
                int vo = qo + 2 * c;
                int dyo = row0 * c + h * hs;
                int ao = (bi * nh + h) * t * t;
                AttentionScores.transpose(vt, ld, qkv, vo, c3, t, hs);
                for (int ti = 0; ti < t; ti++) {
                    int keys = causal ? ti + 1 : t;
                    int r = ti * t;
                    // dP = dy_i . v_j (through the dropout mask), then dS = P (dP - sum P dP) * scale.
                    // Rows in groups of four share their first keys: the group's first row computes them.
                    int group = ti & ~3;
                    boolean grouped = group + 4 <= t;
                    // (as forward: the group's scores over the keys its last row sees, up to a whole
                    // vector; the entries above the diagonal are never read)
                    int shared = causal ? Math.min(roundUp(group + 4), t) : t;
                    if (grouped && ti == group) {
                        AttentionScores.scores4(ds, r, t, dy, dyo + ti * c, c, vt, ld, shared, hs, 1f);
                    }
                    AttentionScores.scores(ds, r, dy, dyo + ti * c, vt, ld, grouped ? shared : 0, keys, hs, 1f);
                    if (dropMask != null) {
                        multiply(ds, r, dropMask, ao + r, keys);
                    }
                    softmaxBackward(ds, r, att, ao + r, keys, scale);
                }
                for (int t0 = 0; t0 < t; t0 += 4) {
                    // dq_i += sum_{j<=i} dS_ij k_j, four rows at once over the keys all four see
                    int rows = Math.min(4, t - t0);
                    int from = rows != 4 ? 0 : causal ? t0 + 1 : t;
                    if (rows == 4) {
                        WeightedRows.combine4(dqkv, qo + t0 * c3, c3, true, ds, t0 * t, t, 1, null, qkv, ko, c3,
                                0, from, hs);
                    }
                    for (int r = 0; r < rows; r++) {
                        int ti = t0 + r;
                        WeightedRows.combine(dqkv, qo + ti * c3, true, ds, ti * t + from, 1, null, qkv, ko + from * c3, c3,
                                (causal ? ti + 1 : t) - from, hs);
                    }
                }
                for (int s0 = 0; s0 < t; s0 += 4) {
                    // dk_j += sum_{i>=j} dS_ij q_i;  dv_j += sum_{i>=j} P_ij mask_ij dy_i
                    int rows = Math.min(4, t - s0);
                    int to = rows != 4 ? t : causal ? s0 + 3 : 0;
                    if (rows == 4) {
                        WeightedRows.combine4(dqkv, ko + s0 * c3, c3, true, ds, s0, 1, t, null, qkv, qo, c3, to, t, hs);
                        WeightedRows.combine4(dqkv, vo + s0 * c3, c3, true, att, ao + s0, 1, t, dropMask, dy, dyo, c, to, t, hs);
                    }
                    for (int r = 0; r < rows; r++) {
                        int sj = s0 + r;
                        // the queries that see key sj and the group did not: from sj (causal) or 0 on
                        int first = causal ? sj : 0;
                        int n = Math.max(0, to - first);
                        WeightedRows.combine(dqkv, ko + sj * c3, true, ds, first * t + sj, t, null, qkv, qo + first * c3, c3, n, hs);
                        WeightedRows.combine(dqkv, vo + sj * c3, true, att, ao + first * t + sj, t, dropMask, dy, dyo + first * c, c, n, hs);
                    }
                }
            }
        });
    }

    private static int roundUp(int n) {
        return (n + L - 1) / L * L;
    }

    private static float[] scratch(int slot, int n) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < n) {
            s[slot] = new float[Math.max(n, s[slot].length * 3 / 2)];
        }
        return s[slot];
    }

    /** In place: x[o .. o+n) = softmax. */
    private static void softmax(float[] x, int o, int n) {
        int bound = S.loopBound(n);
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += L) {
            mv = mv.max(FloatVector.fromArray(S, x, o + i));
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[o + i]);
        }
        FloatVector maxv = FloatVector.broadcast(S, max);
        FloatVector sv = FloatVector.zero(S);
        for (i = 0; i < bound; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, o + i).sub(maxv));
            e.intoArray(x, o + i);
            sv = sv.add(e);
        }
        float sum = VectorMath.sum(sv);
        for (; i < n; i++) {
            float e = (float) StrictMath.exp(x[o + i] - max);
            x[o + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, x, o + i).mul(inv).intoArray(x, o + i);
        }
        for (; i < n; i++) {
            x[o + i] *= inv;
        }
    }

    /** In place: dp[o + j] becomes p_j (dp_j - sum_k p_k dp_k) * scale, p = att[ao ..]. */
    private static void softmaxBackward(float[] dp, int o, float[] att, int ao, int n, float scale) {
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += L) {
            acc = FloatVector.fromArray(S, att, ao + i).fma(FloatVector.fromArray(S, dp, o + i), acc);
        }
        float weighted = VectorMath.sum(acc);
        for (; i < n; i++) {
            weighted += att[ao + i] * dp[o + i];
        }
        FloatVector w = FloatVector.broadcast(S, weighted);
        for (i = 0; i < bound; i += L) {
            FloatVector p = FloatVector.fromArray(S, att, ao + i);
            p.mul(FloatVector.fromArray(S, dp, o + i).sub(w)).mul(scale).intoArray(dp, o + i);
        }
        for (; i < n; i++) {
            dp[o + i] = att[ao + i] * (dp[o + i] - weighted) * scale;
        }
    }

    /** x[o + j] += bias[bo + j] for j < n. */
    private static void add(float[] x, int o, float[] bias, int bo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, o + i).add(FloatVector.fromArray(S, bias, bo + i)).intoArray(x, o + i);
        }
        for (; i < n; i++) {
            x[o + i] += bias[bo + i];
        }
    }

    private static void multiply(float[] x, int o, float[] mask, int mo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, o + i).mul(FloatVector.fromArray(S, mask, mo + i)).intoArray(x, o + i);
        }
        for (; i < n; i++) {
            x[o + i] *= mask[mo + i];
        }
    }

}
