package org.gpt4j.server.studio;

import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertLayout;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.ParameterLayout;

/** {@code GET /api/model}: what the studio shows now (arch "gpt" or "bert"), or how to get a model when it shows none. */
record ModelInfo(boolean loaded, String directory, String arch, Integer nLayer, Integer nHead, Integer nEmbd,
                 Integer nPositions, Integer vocabSize, String positionalEncoding, String layerNorm, Long parameters,
                 boolean hasTokenizer, String workingDirectory, String hint) {

    static ModelInfo of(Studio studio) {
        StudioModel shown = studio.modelOrNull();
        String wd = studio.workingDirectory().toString();
        return switch (shown) {
            case null -> new ModelInfo(false, null, null, null, null, null, null, null, null, null, null, false, wd,
                    Studio.NO_MODEL_HINT);
            case LoadedModel m -> {
                GptConfig c = m.config();
                yield new ModelInfo(true, m.directory().toString(), m.arch(), c.nLayer(), c.nHead(), c.nEmbd(), c.nPositions(),
                        c.vocabSize(), ArchitectureView.name(c.positionalEncoding()),
                        c.layerNorm().name().toLowerCase(java.util.Locale.ROOT), ParameterLayout.of(c).totalCount(),
                        m.tokenizer() != null, wd, null);
            }
            case LoadedBert b -> {
                BertConfig c = b.config();
                yield new ModelInfo(true, b.directory().toString(), b.arch(), c.numHiddenLayers(), c.numAttentionHeads(),
                        c.hiddenSize(), c.maxPositionEmbeddings(), c.vocabSize(), "learned", "post",
                        BertLayout.of(c).totalCount(), b.tokenizer() != null, wd, null);
            }
        };
    }
}
