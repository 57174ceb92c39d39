package org.gpt4j.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Every parameter tensor a {@link BertConfig} implies, under gpt4j's names: the blocks share
 * GPT's ({@code h.N.attn.c_attn}, Conv1D {@code [in, out]}, queries, keys and values fused), so
 * one {@link Block} serves both models. Hugging Face's names and {@code [out, in]} layout are
 * mapped in one place, {@code io.BertNames}.
 *
 * <pre>
 * wte [V, C], wpe [P, C], wtt [types, C], ln_e      embeddings + their LayerNorm
 * h.N.*                                              the encoder blocks (post-LN)
 * pooler [C, C] + bias                               tanh(dense) on [CLS]
 * mlm.dense [C, C] + bias, mlm.ln, mlm.bias [V]      MLM transform; decoder tied to wte
 * nsp [C, 2] + bias                                  next-sentence classifier on the pooled [CLS]
 * </pre>
 */
public final class BertLayout {

    static final String WTE = "wte.weight";
    static final String WPE = "wpe.weight";
    static final String WTT = "wtt.weight";
    static final String LN_E = "ln_e";
    static final String POOLER = "pooler";
    static final String MLM_DENSE = "mlm.dense";
    static final String MLM_LN = "mlm.ln";
    static final String MLM_BIAS = "mlm.bias";
    static final String NSP = "nsp";

    private BertLayout() {
    }

    public static ParameterLayout of(BertConfig c) {
        List<ParameterSpec> s = new ArrayList<>(embeddings(c));
        GptConfig blocks = c.blockConfig();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            s.addAll(ParameterLayout.block(blocks, l));
        }
        s.addAll(heads(c));
        return ParameterLayout.ofSpecs(s);
    }

    /** The word, position and token-type embeddings and their LayerNorm. */
    static List<ParameterSpec> embeddings(BertConfig c) {
        int C = c.hiddenSize();
        return List.of(
                new ParameterSpec(WTE, new int[] {c.vocabSize(), C}),
                new ParameterSpec(WPE, new int[] {c.maxPositionEmbeddings(), C}),
                new ParameterSpec(WTT, new int[] {c.typeVocabSize(), C}),
                new ParameterSpec(LN_E + ".weight", new int[] {C}),
                new ParameterSpec(LN_E + ".bias", new int[] {C}));
    }

    /** The pooler's, the MLM head's and the NSP head's tensors. */
    static List<ParameterSpec> heads(BertConfig c) {
        int C = c.hiddenSize();
        return List.of(
                new ParameterSpec(POOLER + ".weight", new int[] {C, C}),
                new ParameterSpec(POOLER + ".bias", new int[] {C}),
                new ParameterSpec(MLM_DENSE + ".weight", new int[] {C, C}),
                new ParameterSpec(MLM_DENSE + ".bias", new int[] {C}),
                new ParameterSpec(MLM_LN + ".weight", new int[] {C}),
                new ParameterSpec(MLM_LN + ".bias", new int[] {C}),
                new ParameterSpec(MLM_BIAS, new int[] {c.vocabSize()}),
                new ParameterSpec(NSP + ".weight", new int[] {C, 2}),
                new ParameterSpec(NSP + ".bias", new int[] {2}));
    }

    /**
     * The number of parameters {@code c} implies, in O(1) whatever the depth, with exact
     * arithmetic; {@link Long#MAX_VALUE} past 2^63.
     */
    public static long parameterCount(BertConfig c) {
        try {
            long C = c.hiddenSize();
            long embeddings = Math.multiplyExact((long) c.vocabSize() + c.maxPositionEmbeddings() + c.typeVocabSize(), C)
                    + 2 * C;
            long block = 0;
            for (ParameterSpec p : ParameterLayout.block(c.blockConfig(), 0)) {
                block = Math.addExact(block, p.count());
            }
            long heads = 0;
            for (ParameterSpec p : heads(c)) {
                heads = Math.addExact(heads, p.count());
            }
            return Math.addExact(Math.addExact(embeddings, Math.multiplyExact(block, (long) c.numHiddenLayers())), heads);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Refuses, before anything is allocated, a BERT whose f32 weights this heap cannot hold (see
     * {@link HeapBudget#require}).
     */
    public static void requireHeap(BertConfig c, String purpose) {
        long count = parameterCount(c);
        long tensors = 5 + 12L * c.numHiddenLayers() + 9;
        long bytes = count == Long.MAX_VALUE ? Long.MAX_VALUE
                : count > (Long.MAX_VALUE - tensors * HeapBudget.BYTES_PER_TENSOR) / Float.BYTES ? Long.MAX_VALUE
                : count * Float.BYTES + tensors * HeapBudget.BYTES_PER_TENSOR;
        HeapBudget.require(bytes, purpose + " a BERT of "
                + (count == Long.MAX_VALUE ? "more than 2^63" : String.format(java.util.Locale.ROOT, "%,d", count)) + " parameters");
    }
}
