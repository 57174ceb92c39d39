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
        int C = c.nEmbd();
        int I = c.nInner();
        List<ParameterSpec> s = new ArrayList<>();
        s.add(new ParameterSpec("wte.weight", new int[] {c.vocabSize(), C}));
        if (c.positionalEncoding() == PositionalEncoding.LEARNED) {
            s.add(new ParameterSpec("wpe.weight", new int[] {c.nPositions(), C}));
        }
        for (int l = 0; l < c.nLayer(); l++) {
            String h = "h." + l + ".";
            s.add(new ParameterSpec(h + "ln_1.weight", new int[] {C}));
            s.add(new ParameterSpec(h + "ln_1.bias", new int[] {C}));
            s.add(new ParameterSpec(h + "attn.c_attn.weight", new int[] {C, 3 * C}));
            s.add(new ParameterSpec(h + "attn.c_attn.bias", new int[] {3 * C}));
            s.add(new ParameterSpec(h + "attn.c_proj.weight", new int[] {C, C}));
            s.add(new ParameterSpec(h + "attn.c_proj.bias", new int[] {C}));
            s.add(new ParameterSpec(h + "ln_2.weight", new int[] {C}));
            s.add(new ParameterSpec(h + "ln_2.bias", new int[] {C}));
            s.add(new ParameterSpec(h + "mlp.c_fc.weight", new int[] {C, I}));
            s.add(new ParameterSpec(h + "mlp.c_fc.bias", new int[] {I}));
            s.add(new ParameterSpec(h + "mlp.c_proj.weight", new int[] {I, C}));
            s.add(new ParameterSpec(h + "mlp.c_proj.bias", new int[] {C}));
        }
        if (c.layerNorm() == LayerNormPlacement.PRE) {
            s.add(new ParameterSpec("ln_f.weight", new int[] {C}));
            s.add(new ParameterSpec("ln_f.bias", new int[] {C}));
        }
        return new ParameterLayout(s);
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
