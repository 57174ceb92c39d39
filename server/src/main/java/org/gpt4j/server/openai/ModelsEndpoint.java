package org.gpt4j.server.openai;

import io.javalin.http.Context;
import java.util.List;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the served models as OpenAI lists them. */
final class ModelsEndpoint {

    /** A model card; {@code max_model_len} (vLLM's extra field) is the context window. */
    record ModelCard(String id, String object, long created, String ownedBy, int maxModelLen) {
    }

    record ModelList(String object, List<ModelCard> data) {
    }

    private final ServedModels models;

    ModelsEndpoint(ServedModels models) {
        this.models = models;
    }

    void list(Context ctx) {
        Answers.json(ctx, 200, new ModelList("list", models.all().stream().map(ModelsEndpoint::card).toList()));
    }

    void one(Context ctx) {
        Answers.json(ctx, 200, card(models.byId(ctx.pathParam("id"))));
    }

    private static ModelCard card(ServedModel m) {
        return new ModelCard(m.id(), "model", m.created(), "gpt4j", m.contextWindow());
    }
}
