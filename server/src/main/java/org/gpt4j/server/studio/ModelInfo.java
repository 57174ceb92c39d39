package org.gpt4j.server.studio;

import org.gpt4j.model.GptConfig;
import org.gpt4j.model.ParameterLayout;

/** {@code GET /api/model}: what the studio shows now, or how to get a model when it shows none. */
record ModelInfo(boolean loaded, String directory, Integer nLayer, Integer nHead, Integer nEmbd, Integer nPositions,
                 Integer vocabSize, String positionalEncoding, String layerNorm, Long parameters, boolean hasTokenizer,
                 String workingDirectory, String hint) {

    static ModelInfo of(Studio studio) {
        LoadedModel m = studio.modelOrNull();
        String wd = studio.workingDirectory().toString();
        if (m == null) {
            return new ModelInfo(false, null, null, null, null, null, null, null, null, null, false, wd, Studio.NO_MODEL_HINT);
        }
        GptConfig c = m.config();
        return new ModelInfo(true, m.directory().toString(), c.nLayer(), c.nHead(), c.nEmbd(), c.nPositions(),
                c.vocabSize(), ArchitectureView.name(c.positionalEncoding()),
                c.layerNorm().name().toLowerCase(java.util.Locale.ROOT), ParameterLayout.of(c).totalCount(),
                m.tokenizer() != null, wd, null);
    }
}
