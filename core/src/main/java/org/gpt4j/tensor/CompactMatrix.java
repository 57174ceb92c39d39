package org.gpt4j.tensor;

import java.util.Objects;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix {@code [rows, cols]} (row-major) stored in a compact {@link WeightFormat}, for
 * inference. The <em>output channel</em> of each weight — the axis an int8 scale is shared along
 * — is the row or the column ({@link #rowChannels}). A model's copies all have row channels: the
 * token embedding {@code [V, C]}, whose rows are the unembedding's outputs, as it is, and GPT-2's
 * Conv1D weights {@code [in, out]} transposed ({@link #transposedOf}), whose int8 codes and
 * scales are then those of {@code torch.quantize_per_channel} along their output axis.
 *
 * <p>int8 follows PyTorch's symmetric per-channel quantization ({@code torch.quantize_per_channel}
 * with zero point 0): {@code scale = absmax / 127}, {@code q = rint(w / scale)} in [-127, 127],
 * {@code w ~ q * scale}. bf16 keeps each float's top 16 bits, rounded to nearest even (as
 * {@code tensor.to(torch.bfloat16)}). Immutable once built.
 */
public final class CompactMatrix {

    /**
     * Float lanes of the kernels: the preferred species (16 on AVX-512, 8 on AVX2, 4 with 128-bit
     * vectors). A wider species than the machine's would run the Vector API's slow Java fallback.
     */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() >= 4
            ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_128;
    static final int L = F.length();
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** L shorts: {@code S2I} to {@link #I} converts lane for lane. */
    static final VectorSpecies<Short> H = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    /**
     * The smallest byte species with at least L lanes: L bytes, or 8 with 128-bit vectors (there
     * is no 4-byte vector), whose first 4 {@code B2F} part 0 converts.
     */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));

    private final WeightFormat format;
    private final int rows;
    private final int cols;
    private final boolean rowChannels;
    private final short[] bf16;
    private final byte[] int8;
    private final float[] scales;

    private CompactMatrix(WeightFormat format, int rows, int cols, boolean rowChannels,
                          short[] bf16, byte[] int8, float[] scales) {
        this.format = format;
        this.rows = rows;
        this.cols = cols;
        this.rowChannels = rowChannels;
        this.bf16 = bf16;
        this.int8 = int8;
        this.scales = scales;
    }

    /**
     * Converts {@code w [rows, cols]}; {@code rowChannels} says whether each row (true) or each
     * column (false) is one output channel.
     *
     * @throws IllegalArgumentException for {@link WeightFormat#F32} or a size mismatch
     */
    public static CompactMatrix of(float[] w, int rows, int cols, boolean rowChannels, WeightFormat format) {
        Objects.requireNonNull(format, "format");
        if ((long) rows * cols != w.length) {
            throw new IllegalArgumentException("matrix of " + w.length + " values is not " + rows + " x " + cols);
        }
        return switch (format) {
            case F32 -> throw new IllegalArgumentException("f32 weights are used as they are, not compacted");
            case BF16 -> new CompactMatrix(format, rows, cols, rowChannels, toBf16(w), null, null);
            case INT8 -> quantizeInt8(w, rows, cols, rowChannels);
        };
    }

    /**
     * The compact copy of {@code w [rows, cols]} transposed: a {@code [cols, rows]} matrix with one
     * output channel per row. GPT-2's Conv1D weights {@code [in, out]} are stored so, each
     * output's weights in one run, which decoding reads front to back (see {@link CompactMatmul}).
     */
    public static CompactMatrix transposedOf(float[] w, int rows, int cols, WeightFormat format) {
        if ((long) rows * cols != w.length) {
            throw new IllegalArgumentException("matrix of " + w.length + " values is not " + rows + " x " + cols);
        }
        float[] t = new float[w.length];
        ElementwiseKernels.transpose(t, w, rows, cols);
        return of(t, cols, rows, true, format);
    }

    private static short[] toBf16(float[] w) {
        short[] out = new short[w.length];
        Parallel.forRange(w.length, 4, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                out[i] = toBf16(w[i]);
            }
        });
        return out;
    }

    /** {@code dst[0..n)} = the bfloat16 nearest to each of {@code src[from..from+n)}. */
    public static void toBf16(float[] src, int from, short[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = toBf16(src[from + i]);
        }
    }

    /** The bfloat16 nearest to {@code x} (ties to even); NaN stays a quiet NaN. */
    public static short toBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    public static float fromBf16(short h) {
        return Float.intBitsToFloat(h << 16);
    }

    private static CompactMatrix quantizeInt8(float[] w, int rows, int cols, boolean rowChannels) {
        int channels = rowChannels ? rows : cols;
        float[] absmax = new float[channels];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int ch = rowChannels ? r : c;
                absmax[ch] = Math.max(absmax[ch], Math.abs(w[r * cols + c]));
            }
        }
        float[] scales = new float[channels];
        float[] inverse = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            if (!Float.isFinite(absmax[ch])) {
                throw new IllegalArgumentException("channel " + ch + " holds a NaN or infinite weight");
            }
            // An all-zero channel keeps scale 1: its weights are exactly 0 either way.
            scales[ch] = absmax[ch] == 0f ? 1f : absmax[ch] / 127f;
            inverse[ch] = 1f / scales[ch];
        }
        byte[] q = new byte[w.length];
        Parallel.forRange(rows, cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                for (int c = 0; c < cols; c++) {
                    float v = (float) Math.rint(w[r * cols + c] * inverse[rowChannels ? r : c]);
                    q[r * cols + c] = (byte) Math.max(-127f, Math.min(127f, v));
                }
            }
        });
        return new CompactMatrix(WeightFormat.INT8, rows, cols, rowChannels, null, q, scales);
    }

    public WeightFormat format() {
        return format;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Whether each row (not each column) is an output channel with its own int8 scale. */
    public boolean rowChannels() {
        return rowChannels;
    }

    /** Bytes the stored weights and scales take. */
    public long bytes() {
        return (long) rows * cols * format.bytesPerWeight() + (scales == null ? 0 : 4L * scales.length);
    }

    /** The int8 code of one weight (int8 only). */
    public int quantized(int r, int c) {
        return int8[index(r, c)];
    }

    /** The int8 scale of one output channel (int8 only). */
    public float scale(int channel) {
        return scales[channel];
    }

    /** The weight as the kernels use it: {@code q * scale}, or the bf16 value. */
    public float get(int r, int c) {
        int i = index(r, c);
        return format == WeightFormat.BF16 ? fromBf16(bf16[i]) : int8[i] * scales[rowChannels ? r : c];
    }

    private int index(int r, int c) {
        Objects.checkIndex(r, rows);
        Objects.checkIndex(c, cols);
        return r * cols + c;
    }

    /** dst[dstOffset + (r - r0) * cols + c] = W(r, c) for rows [r0, r1): whole rows, as floats. */
    public void dequantizeRows(int r0, int r1, float[] dst, int dstOffset) {
        Objects.checkFromToIndex(r0, r1, rows);
        for (int r = r0; r < r1; r++) {
            dequantize(r * cols, cols, dst, dstOffset + (r - r0) * cols, rowChannels ? r : -1, 0);
        }
    }

    /**
     * Columns [p0, p0 + kc) of rows [j0, j0 + n) as floats, transposed into panels of {@code nr}
     * rows, {@code panel[po + q * kc * nr + p * nr + jj] = W(j0 + q * nr + jj, p0 + p)},
     * zero-padded: the packed B of {@link Gemm} for B = W^T. W has row channels (its callers in
     * {@link CompactMatmul} require them), so an int8 row has one scale.
     */
    void packTransposedPanels(float[] panel, int po, int p0, int kc, int j0, int n, int nr) {
        for (int q = 0; q * nr < n; q++) {
            int valid = Math.min(nr, n - q * nr);
            int dst = po + q * kc * nr;
            // One row's run of kc weights at a time, written down a column of the panel (in L1).
            // Measured no faster: across the panel's width (all its rows side by side, 1.3-2x
            // slower for a prompt of 16 tokens) and four rows side by side (the same).
            for (int jj = 0; jj < valid; jj++) {
                int r = j0 + q * nr + jj;
                int src = r * cols + p0;
                if (format == WeightFormat.BF16) {
                    for (int p = 0; p < kc; p++) {
                        panel[dst + p * nr + jj] = fromBf16(bf16[src + p]);
                    }
                } else {
                    float s = scales[r];
                    for (int p = 0; p < kc; p++) {
                        panel[dst + p * nr + jj] = int8[src + p] * s;
                    }
                }
            }
            for (int p = 0; p < kc && valid < nr; p++) {
                java.util.Arrays.fill(panel, dst + p * nr + valid, dst + (p + 1) * nr, 0f);
            }
        }
    }

    /**
     * n weights from {@code src} into floats. {@code rowChannel} >= 0 gives the one scale of the
     * run; otherwise the run starts at column {@code c0} and each column has its own.
     */
    private void dequantize(int src, int n, float[] dst, int dstOffset, int rowChannel, int c0) {
        int i = 0;
        int bound = F.loopBound(n);
        if (format == WeightFormat.BF16) {
            for (; i < bound; i += L) {
                bf16Vector(bf16, src + i).intoArray(dst, dstOffset + i);
            }
            for (; i < n; i++) {
                dst[dstOffset + i] = fromBf16(bf16[src + i]);
            }
        } else if (rowChannel >= 0) {
            bound = CompactStream.int8Bound(int8, src, n);
            float s = scales[rowChannel];
            for (; i < bound; i += L) {
                int8Vector(int8, src + i).mul(s).intoArray(dst, dstOffset + i);
            }
            for (; i < n; i++) {
                dst[dstOffset + i] = int8[src + i] * s;
            }
        } else {
            bound = CompactStream.int8Bound(int8, src, n);
            for (; i < bound; i += L) {
                int8Vector(int8, src + i).mul(FloatVector.fromArray(F, scales, c0 + i)).intoArray(dst, dstOffset + i);
            }
            for (; i < n; i++) {
                dst[dstOffset + i] = int8[src + i] * scales[c0 + i];
            }
        }
    }

    /** L bf16 values from {@code h[offset..]} as floats: each is the top half of a float's bits. */
    static FloatVector bf16Vector(short[] h, int offset) {
        IntVector wide = (IntVector) ShortVector.fromArray(H, h, offset).convertShape(VectorOperators.S2I, I, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** L int8 codes from {@code q[offset..]} as floats (unscaled); reads B's lanes (see {@link #B}). */
    static FloatVector int8Vector(byte[] q, int offset) {
        return (FloatVector) ByteVector.fromArray(B, q, offset).convertShape(VectorOperators.B2F, F, 0);
    }

    short[] bf16() {
        return bf16;
    }

    byte[] int8() {
        return int8;
    }

    float[] scales() {
        return scales;
    }
}
