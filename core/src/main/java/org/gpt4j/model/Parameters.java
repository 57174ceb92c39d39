package org.gpt4j.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.ElementwiseKernels;
import org.gpt4j.tensor.WeightFormat;

/**
 * The values of every parameter tensor of a GPT (one float array each, row-major, in the
 * shapes of {@link ParameterLayout}) and, once training asks for them, their gradients.
 *
 * <p>For inference the weight matrices ({@link #isWeightMatrix}) may instead be held as bf16 or
 * int8 {@link CompactMatrix} copies, all in one {@link #weightFormat()}; the other tensors
 * (LayerNorms, biases, learned positions) stay f32. Compact parameters have no gradients.
 */
public final class Parameters {

    private final ParameterLayout layout;
    private final Map<String, float[]> data = new LinkedHashMap<>();
    private final Map<String, CompactMatrix> compact = new LinkedHashMap<>();
    private final Map<String, float[]> grads = new LinkedHashMap<>();
    private WeightFormat weightFormat = WeightFormat.F32;

    private Parameters(ParameterLayout layout) {
        this.layout = layout;
    }

    /** All-zero parameters for the layout. */
    public static Parameters zeros(ParameterLayout layout) {
        Parameters p = new Parameters(layout);
        for (ParameterSpec s : layout.specs()) {
            p.data.put(s.name(), new float[checkedSize(s)]);
        }
        return p;
    }

    /**
     * Wraps arrays the caller has filled; every spec must have an array of exactly its size.
     *
     * @throws IllegalArgumentException naming the missing or misshapen tensor
     */
    public static Parameters of(ParameterLayout layout, Map<String, float[]> values) {
        return of(layout, values, Map.of());
    }

    private static float[] checked(ParameterSpec s, float[] v) {
        if (v == null) {
            throw new IllegalArgumentException("missing tensor '" + s.name() + "'");
        }
        if (v.length != s.count()) {
            throw new IllegalArgumentException("tensor '" + s.name() + "' has " + v.length
                    + " values, expected " + s.count() + " for shape " + s.shapeString());
        }
        return v;
    }

    /**
     * Wraps f32 arrays and compact weight matrices: every spec must be in exactly one of the two
     * maps, compact ones only for {@link #isWeightMatrix weight matrices}, all in one format.
     *
     * @throws IllegalArgumentException naming the missing, misshapen or mixed tensor
     */
    public static Parameters of(ParameterLayout layout, Map<String, float[]> values, Map<String, CompactMatrix> compacts) {
        Parameters p = new Parameters(layout);
        for (ParameterSpec s : layout.specs()) {
            CompactMatrix m = compacts.get(s.name());
            if (m == null) {
                p.data.put(s.name(), checked(s, values.get(s.name())));
                continue;
            }
            if (!isWeightMatrix(s) || !m.rowChannels() || m.rows() != compactRows(s) || m.rows() * (long) m.cols() != s.count()) {
                throw new IllegalArgumentException("tensor '" + s.name() + "' cannot be held as a compact "
                        + m.rows() + " x " + m.cols() + " matrix for shape " + s.shapeString());
            }
            if (p.weightFormat != WeightFormat.F32 && p.weightFormat != m.format()) {
                throw new IllegalArgumentException("tensor '" + s.name() + "' is " + m.format().label()
                        + " but other weight matrices are " + p.weightFormat.label());
            }
            p.weightFormat = m.format();
            p.compact.put(s.name(), m);
        }
        return p;
    }

    /**
     * The tensors a compact format stores: the token embedding (which the tied unembedding reads)
     * and the blocks' weight matrices. Not the learned positions: small, and added, not multiplied.
     */
    public static boolean isWeightMatrix(ParameterSpec s) {
        return s.shape().length == 2 && !s.name().equals("wpe.weight");
    }

    /**
     * A compact copy of one weight matrix's values with one output channel per row: the token
     * embedding {@code [V, C]} as it is (its rows are the unembedding's outputs), the blocks'
     * Conv1D {@code [in, out]} weights transposed to {@code [out, in]}, so that decoding reads
     * each output's weights as one run (see {@code tensor.CompactMatmul}).
     */
    public static CompactMatrix compactCopy(ParameterSpec s, float[] values, WeightFormat format) {
        int rows = s.shape()[0];
        int cols = s.shape()[1];
        return s.name().equals("wte.weight")
                ? CompactMatrix.of(values, rows, cols, true, format)
                : CompactMatrix.transposedOf(values, rows, cols, format);
    }

    /** The rows of {@link #compactCopy}: its output channels. */
    private static int compactRows(ParameterSpec s) {
        return s.name().equals("wte.weight") ? s.shape()[0] : s.shape()[1];
    }

    /**
     * These parameters with every weight matrix as a compact copy in {@code format} (the other
     * tensors' arrays are shared, not copied). This object is left as it is.
     */
    public Parameters compacted(WeightFormat format) {
        if (weightFormat != WeightFormat.F32) {
            throw new IllegalStateException("the weight matrices are already " + weightFormat.label());
        }
        if (format == WeightFormat.F32) {
            return this;
        }
        Map<String, float[]> rest = new LinkedHashMap<>();
        Map<String, CompactMatrix> matrices = new LinkedHashMap<>();
        for (ParameterSpec s : layout.specs()) {
            if (isWeightMatrix(s)) {
                matrices.put(s.name(), compactCopy(s, data(s.name()), format));
            } else {
                rest.put(s.name(), data(s.name()));
            }
        }
        return of(layout, rest, matrices);
    }

    /** f32, or the format of the compact weight matrices. */
    public WeightFormat weightFormat() {
        return weightFormat;
    }

    /** The compact copy of a weight matrix, or null when the tensor is held as f32. */
    public CompactMatrix compactData(String name) {
        if (!has(name)) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return compact.get(name);
    }

    public ParameterLayout layout() {
        return layout;
    }

    public List<ParameterSpec> specs() {
        return layout.specs();
    }

    /**
     * The live array of a tensor (not a copy).
     *
     * @throws IllegalStateException for a weight matrix held as a compact copy
     */
    public float[] data(String name) {
        float[] v = data.get(name);
        if (v == null) {
            if (compact.containsKey(name)) {
                throw new IllegalStateException("'" + name + "' is held as " + weightFormat.label()
                        + " for inference; load the model with f32 weights to read, train or save it");
            }
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return v;
    }

    public boolean has(String name) {
        return data.containsKey(name) || compact.containsKey(name);
    }

    /** The gradient array of a tensor, allocated (zero) on first use. */
    public float[] grad(String name) {
        return grads.computeIfAbsent(name, n -> new float[data(n).length]);
    }

    /** Sets every gradient to zero (the start of each optimisation step). */
    public void zeroGrad() {
        for (float[] g : grads.values()) {
            ElementwiseKernels.zero(g, g.length);
        }
    }

    private static int checkedSize(ParameterSpec s) {
        long n = s.count();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + s.name() + "' " + s.shapeString()
                    + " is too large for one Java array");
        }
        return (int) n;
    }
}
