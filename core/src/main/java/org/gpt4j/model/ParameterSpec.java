package org.gpt4j.model;

import java.util.Arrays;

/**
 * One named parameter tensor of a GPT: its Hugging Face GPT-2 name (without the
 * {@code transformer.} prefix) and its shape. Matrices use Conv1D's {@code [in, out]} layout.
 */
public record ParameterSpec(String name, int[] shape) {

    public ParameterSpec {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements; a long because a whole model's sum can pass 2^31. */
    public long count() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    /**
     * True for the projections that write into the residual stream ({@code attn.c_proj} and
     * {@code mlp.c_proj}): GPT-2 scales their initialisation by 1/sqrt(2 * n_layer).
     */
    public boolean isResidualProjection() {
        return name.endsWith(".c_proj.weight");
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + shapeString();
    }
}
