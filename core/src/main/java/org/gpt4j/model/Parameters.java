package org.gpt4j.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of every parameter tensor of a GPT (one float array each, row-major, in the
 * shapes of {@link ParameterLayout}) and, once training asks for them, their gradients.
 */
public final class Parameters {

    private final ParameterLayout layout;
    private final Map<String, float[]> data = new LinkedHashMap<>();
    private final Map<String, float[]> grads = new LinkedHashMap<>();

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
        Parameters p = new Parameters(layout);
        for (ParameterSpec s : layout.specs()) {
            float[] v = values.get(s.name());
            if (v == null) {
                throw new IllegalArgumentException("missing tensor '" + s.name() + "'");
            }
            if (v.length != s.count()) {
                throw new IllegalArgumentException("tensor '" + s.name() + "' has " + v.length
                        + " values, expected " + s.count() + " for shape " + s.shapeString());
            }
            p.data.put(s.name(), v);
        }
        return p;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public List<ParameterSpec> specs() {
        return layout.specs();
    }

    /** The live array of a tensor (not a copy). */
    public float[] data(String name) {
        float[] v = data.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return v;
    }

    public boolean has(String name) {
        return data.containsKey(name);
    }

    /** The gradient array of a tensor, allocated (zero) on first use. */
    public float[] grad(String name) {
        return grads.computeIfAbsent(name, n -> new float[data(n).length]);
    }

    /** Sets every gradient to zero (the start of each optimisation step). */
    public void zeroGrad() {
        for (float[] g : grads.values()) {
            java.util.Arrays.fill(g, 0f);
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
