package org.gpt4j.server.studio;

import static org.gpt4j.server.studio.ArchitectureView.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gpt4j.model.BertConfig;
import org.gpt4j.server.studio.ArchitectureView.Model;
import org.gpt4j.server.studio.ArchitectureView.Response;
import org.gpt4j.server.studio.ArchitectureView.Stage;
import org.gpt4j.server.studio.ArchitectureView.Tensor;

/**
 * View a for a BERT: the encoder stack with the model's real shapes, in the same form as a GPT's
 * ({@link ArchitectureView}) so the page draws both alike. The path: token + position + segment
 * embeddings and their LayerNorm, N encoder blocks (post-LN, attention both ways), then the two
 * pre-training heads: the masked LM (dense, GELU, LayerNorm, the decoder tied to the word
 * embedding plus a bias) and the pooler with next-sentence prediction.
 */
final class BertArchitectureView {

    private BertArchitectureView() {
    }

    static Response of(LoadedBert m, Params p) {
        BertConfig c = m.config();
        // The shapes are drawn for the typed input when there is one, else for a full context.
        int t = p.has("text") || p.has("tokens") ? m.input(p).length : c.maxPositionEmbeddings();
        int C = c.hiddenSize();
        int V = c.vocabSize();
        int NH = c.numAttentionHeads();
        int hs = c.headSize();
        int inner = c.intermediateSize();
        List<Tensor> tensors = ArchitectureView.tensors(m.bert().parameters());
        long total = tensors.stream().mapToLong(Tensor::count).sum();
        long perBlock = tensors.stream().filter(x -> x.name().startsWith("h.0.")).mapToLong(Tensor::count).sum();
        List<Stage> flow = new ArrayList<>();
        flow.add(stage("tokens", "token ids ([CLS] text [SEP])", List.of("T"), new int[] {t}, null, null));
        flow.add(stage("wte", "token embedding", List.of("T", "C"), new int[] {t, C}, "wte", new int[] {V, C}));
        flow.add(stage("wpe", "+ learned positions", List.of("T", "C"), new int[] {t, C}, "wpe",
                new int[] {c.maxPositionEmbeddings(), C}));
        flow.add(stage("wtt", "+ segment embedding (sentence A or B)", List.of("T", "C"), new int[] {t, C}, "wtt",
                new int[] {c.typeVocabSize(), C}));
        flow.add(stage("ln_e", "embedding LayerNorm", List.of("T", "C"), new int[] {t, C}, "ln_e", new int[] {C}));
        flow.add(new Stage("encoder_blocks", c.numHiddenLayers() + " x encoder block", List.of("T", "C"), new int[] {t, C},
                null, null, perBlock * c.numHiddenLayers()));
        // the transform's dense layer and bias, then its LayerNorm's gain and bias
        flow.add(new Stage("mlm_transform", "masked LM: dense, GELU, LayerNorm", List.of("T", "C"), new int[] {t, C},
                "mlm.dense", new int[] {C, C}, (long) C * C + 3L * C));
        // the decoder reads wte (counted there) and adds its own bias
        flow.add(new Stage("mlm_decoder", "masked LM decoder (tied to wte) + bias", List.of("T", "V"), new int[] {t, V},
                "wte^T", new int[] {C, V}, V));
        flow.add(stage("mlm_softmax", "softmax: each [MASK]'s word", List.of("T", "V"), new int[] {t, V}, null, null));
        flow.add(stage("pooler", "pooler: tanh(h[CLS] W + b)", List.of("C"), new int[] {C}, "pooler", new int[] {C, C}));
        flow.add(stage("nsp", "next-sentence head: is B after A?", List.of("2"), new int[] {2}, "nsp", new int[] {C, 2}));
        List<Stage> block = List.of(
                stage("c_attn", "Q, K, V = x W_qkv", List.of("T", "3C"), new int[] {t, 3 * C}, "attn.c_attn", new int[] {C, 3 * C}),
                stage("heads", "split into heads", List.of("NH", "T", "hs"), new int[] {NH, t, hs}, null, null),
                stage("scores_bidirectional", "Q K^T / sqrt(hs), padding mask only, softmax", List.of("NH", "T", "T"),
                        new int[] {NH, t, t}, null, null),
                stage("mix", "attention x V, heads concatenated", List.of("T", "C"), new int[] {t, C}, null, null),
                stage("attn_proj", "output projection", List.of("T", "C"), new int[] {t, C}, "attn.c_proj", new int[] {C, C}),
                stage("residual_1", "+ residual", List.of("T", "C"), new int[] {t, C}, null, null),
                stage("ln_1", "LayerNorm 1", List.of("T", "C"), new int[] {t, C}, "ln_1", new int[] {C}),
                stage("c_fc", "MLP up-projection", List.of("T", "4C"), new int[] {t, inner}, "mlp.c_fc", new int[] {C, inner}),
                stage("act", c.hiddenAct().name().toLowerCase(Locale.ROOT), List.of("T", "4C"), new int[] {t, inner}, null, null),
                stage("mlp_proj", "MLP down-projection", List.of("T", "C"), new int[] {t, C}, "mlp.c_proj", new int[] {inner, C}),
                stage("residual_2", "+ residual", List.of("T", "C"), new int[] {t, C}, null, null),
                stage("ln_2", "LayerNorm 2", List.of("T", "C"), new int[] {t, C}, "ln_2", new int[] {C}));
        Model model = new Model(m.directory().toString(), c.numHiddenLayers(), NH, C, hs, inner, c.maxPositionEmbeddings(), V,
                c.hiddenAct().name().toLowerCase(Locale.ROOT), "learned", "post", total);
        return new Response(model, t, flow, block, perBlock, tensors);
    }
}
