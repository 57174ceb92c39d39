package org.gpt4j.server.studio;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.LayerNormPlacement;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.PositionalEncoding;

/**
 * View a: the decoder stack with the model's real shapes. The path token -> embedding + position
 * -> blocks -> LayerNorm -> unembedding -> softmax as stages, each with the activation it makes
 * ({@code dims} named as in llm.c: T, C, NH, hs, V) and the weight it reads, and one block's
 * inside in the order this model runs it (pre- or post-LayerNorm).
 */
final class ArchitectureView {

    /** One step: its output activation {@code dims = shape}, and the weight it uses (or none). */
    record Stage(String id, String label, List<String> dims, int[] shape, String weight, int[] weightShape, long parameters) {
    }

    record Tensor(String name, int[] shape, long count) {
    }

    record Model(String directory, int nLayer, int nHead, int nEmbd, int headSize, int nInner, int nPositions,
                 int vocabSize, String activation, String positionalEncoding, String layerNorm, long parameters) {
    }

    record Response(Model model, int length, List<Stage> flow, List<Stage> block, long blockParameters,
                    List<Tensor> tensors) {
    }

    private ArchitectureView() {
    }

    static Response of(LoadedModel m, Params p) {
        GptConfig c = m.config();
        // The shapes are drawn for the typed input when there is one, else for a full context.
        int t = p.has("text") || p.has("tokens") ? m.input(p).length : c.nPositions();
        int C = c.nEmbd();
        int V = c.vocabSize();
        int NH = c.nHead();
        int hs = c.headSize();
        List<Tensor> tensors = tensors(m.gpt().parameters());
        long total = tensors.stream().mapToLong(Tensor::count).sum();
        long perBlock = tensors.stream().filter(x -> x.name().startsWith("h.0.")).mapToLong(Tensor::count).sum();
        List<Stage> flow = new ArrayList<>();
        flow.add(stage("tokens", "token ids", List.of("T"), new int[] {t}, null, null));
        flow.add(stage("wte", "token embedding", List.of("T", "C"), new int[] {t, C}, "wte", new int[] {V, C}));
        switch (c.positionalEncoding()) {
            case LEARNED -> flow.add(stage("wpe", "+ learned positions", List.of("T", "C"), new int[] {t, C}, "wpe",
                    new int[] {c.nPositions(), C}));
            case SINUSOIDAL -> flow.add(stage("sinusoid", "+ sinusoidal positions (fixed)", List.of("T", "C"),
                    new int[] {t, C}, null, null));
            case NONE -> { }
        }
        flow.add(new Stage("blocks", c.nLayer() + " x decoder block", List.of("T", "C"), new int[] {t, C}, null, null,
                perBlock * c.nLayer()));
        if (c.layerNorm() == LayerNormPlacement.PRE) {
            flow.add(stage("ln_f", "final LayerNorm", List.of("T", "C"), new int[] {t, C}, "ln_f", new int[] {C}));
        }
        flow.add(new Stage("unembed", "unembedding (tied to wte)", List.of("T", "V"), new int[] {t, V}, "wte^T",
                new int[] {C, V}, 0));
        flow.add(stage("softmax", "softmax: next-token probabilities", List.of("T", "V"), new int[] {t, V}, null, null));

        List<Stage> attention = List.of(
                stage("c_attn", "Q, K, V = x W_qkv", List.of("T", "3C"), new int[] {t, 3 * C}, "attn.c_attn", new int[] {C, 3 * C}),
                stage("heads", "split into heads", List.of("NH", "T", "hs"), new int[] {NH, t, hs}, null, null),
                stage("scores", "Q K^T / sqrt(hs), causal mask, softmax", List.of("NH", "T", "T"), new int[] {NH, t, t}, null, null),
                stage("mix", "attention x V, heads concatenated", List.of("T", "C"), new int[] {t, C}, null, null),
                stage("attn_proj", "output projection", List.of("T", "C"), new int[] {t, C}, "attn.c_proj", new int[] {C, C}),
                stage("residual_1", "+ residual", List.of("T", "C"), new int[] {t, C}, null, null));
        List<Stage> mlp = List.of(
                stage("c_fc", "MLP up-projection", List.of("T", "4C"), new int[] {t, c.nInner()}, "mlp.c_fc", new int[] {C, c.nInner()}),
                stage("act", c.activation().name().toLowerCase(java.util.Locale.ROOT), List.of("T", "4C"), new int[] {t, c.nInner()}, null, null),
                stage("mlp_proj", "MLP down-projection", List.of("T", "C"), new int[] {t, C}, "mlp.c_proj", new int[] {c.nInner(), C}),
                stage("residual_2", "+ residual", List.of("T", "C"), new int[] {t, C}, null, null));
        Stage ln1 = stage("ln_1", "LayerNorm 1", List.of("T", "C"), new int[] {t, C}, "ln_1", new int[] {C});
        Stage ln2 = stage("ln_2", "LayerNorm 2", List.of("T", "C"), new int[] {t, C}, "ln_2", new int[] {C});
        List<Stage> block = new ArrayList<>();
        if (c.layerNorm() == LayerNormPlacement.PRE) {
            block.add(ln1);
            block.addAll(attention);
            block.add(ln2);
            block.addAll(mlp);
        } else {
            block.addAll(attention);
            block.add(ln1);
            block.addAll(mlp);
            block.add(ln2);
        }
        Model model = new Model(m.directory().toString(), c.nLayer(), NH, C, hs, c.nInner(), c.nPositions(), V,
                c.activation().name().toLowerCase(java.util.Locale.ROOT), name(c.positionalEncoding()),
                c.layerNorm().name().toLowerCase(java.util.Locale.ROOT), total);
        return new Response(model, t, flow, block, perBlock, tensors);
    }

    /** Every weight tensor of a model, in its layout's order. */
    static List<Tensor> tensors(org.gpt4j.model.Parameters parameters) {
        List<Tensor> out = new ArrayList<>();
        for (ParameterSpec s : parameters.specs()) {
            out.add(new Tensor(s.name(), s.shape(), s.count()));
        }
        return out;
    }

    static String name(PositionalEncoding p) {
        return p.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A stage whose weight (if any) has {@code weightShape} and, with biases, that many parameters. */
    static Stage stage(String id, String label, List<String> dims, int[] shape, String weight, int[] weightShape) {
        long count = 0;
        if (weightShape != null) {
            count = 1;
            for (int d : weightShape) {
                count *= d;
            }
            // A LayerNorm has a gain and a bias of C each; a projection's bias adds its output width.
            count += weightShape.length == 1 ? weightShape[0] : weight.startsWith("w") ? 0 : weightShape[1];
        }
        return new Stage(id, label, dims, shape, weight, weightShape, count);
    }
}
