package org.gpt4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every parameter tensor a {@link GptConfig} implies, in Hugging Face GPT-2 order, computed
 * without allocating anything (so GPT-3 175B can be counted on a laptop). The unembedding is
 * tied to {@code wte} and therefore not listed.
 */
public final class ParameterLayout {

    private final List<ParameterSpec> specs;

    private ParameterLayout(List<ParameterSpec> specs) {
        this.specs = Collections.unmodifiableList(specs);
    }

    public static ParameterLayout of(GptConfig c) {
        List<ParameterSpec> s = new ArrayList<>(embeddings(c));
        for (int l = 0; l < c.nLayer(); l++) {
            s.addAll(block(c, l));
        }
        s.addAll(finalNorm(c));
        return new ParameterLayout(s);
    }

    /** The tensors before the blocks: {@code wte}, and {@code wpe} for learned positions. */
    public static List<ParameterSpec> embeddings(GptConfig c) {
        List<ParameterSpec> s = new ArrayList<>();
        s.add(new ParameterSpec("wte.weight", new int[] {c.vocabSize(), c.nEmbd()}));
        if (c.positionalEncoding() == PositionalEncoding.LEARNED) {
            s.add(new ParameterSpec("wpe.weight", new int[] {c.nPositions(), c.nEmbd()}));
        }
        return s;
    }

    /** The twelve tensors of block {@code l} ({@code h.l.*}); every block has the same shapes. */
    public static List<ParameterSpec> block(GptConfig c, int l) {
        int C = c.nEmbd();
        int I = c.nInner();
        String h = "h." + l + ".";
        return List.of(
                new ParameterSpec(h + "ln_1.weight", new int[] {C}),
                new ParameterSpec(h + "ln_1.bias", new int[] {C}),
                new ParameterSpec(h + "attn.c_attn.weight", new int[] {C, 3 * C}),
                new ParameterSpec(h + "attn.c_attn.bias", new int[] {3 * C}),
                new ParameterSpec(h + "attn.c_proj.weight", new int[] {C, C}),
                new ParameterSpec(h + "attn.c_proj.bias", new int[] {C}),
                new ParameterSpec(h + "ln_2.weight", new int[] {C}),
                new ParameterSpec(h + "ln_2.bias", new int[] {C}),
                new ParameterSpec(h + "mlp.c_fc.weight", new int[] {C, I}),
                new ParameterSpec(h + "mlp.c_fc.bias", new int[] {I}),
                new ParameterSpec(h + "mlp.c_proj.weight", new int[] {I, C}),
                new ParameterSpec(h + "mlp.c_proj.bias", new int[] {C}));
    }

    /** The tensors after the blocks: {@code ln_f} for pre-LayerNorm, none for post. */
    public static List<ParameterSpec> finalNorm(GptConfig c) {
        if (c.layerNorm() != LayerNormPlacement.PRE) {
            return List.of();
        }
        return List.of(new ParameterSpec("ln_f.weight", new int[] {c.nEmbd()}),
                new ParameterSpec("ln_f.bias", new int[] {c.nEmbd()}));
    }

    /**
     * The number of parameters {@code c} implies, in O(1) whatever n_layer is (the blocks are
     * alike), with exact arithmetic.
     *
     * @throws IllegalArgumentException when the count passes 2^63 - 1
     */
    public static long parameterCount(GptConfig c) {
        try {
            long blocks = Math.multiplyExact((long) c.nLayer(), count(block(c, 0)));
            return Math.addExact(Math.addExact(count(embeddings(c)), blocks), count(finalNorm(c)));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a GPT with " + c.nLayer() + " layers " + c.nEmbd()
                    + " wide has more than 2^63 parameters");
        }
    }

    /** The number of tensors {@code c} implies, in O(1). */
    public static long tensorCount(GptConfig c) {
        return embeddings(c).size() + 12L * c.nLayer() + finalNorm(c).size();
    }

    private static long count(List<ParameterSpec> specs) {
        long n = 0;
        for (ParameterSpec p : specs) {
            n = Math.addExact(n, p.count());
        }
        return n;
    }

    /**
     * The layout of tensors outside a GPT's own (a task head's, a value head's), so that they
     * share {@link Parameters}, AdamW and clipping with the model.
     */
    public static ParameterLayout ofSpecs(List<ParameterSpec> specs) {
        return new ParameterLayout(new ArrayList<>(specs));
    }

    public List<ParameterSpec> specs() {
        return specs;
    }

    public long totalCount() {
        long n = 0;
        for (ParameterSpec p : specs) {
            n += p.count();
        }
        return n;
    }
}
