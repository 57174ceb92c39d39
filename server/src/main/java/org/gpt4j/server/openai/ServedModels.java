package org.gpt4j.server.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models a server answers for, by id; which one a request's {@code model} field names. With
 * one model served the field may be left out, as a single-model server such as llama.cpp's allows.
 */
final class ServedModels {

    private final Map<String, ServedModel> byId = new LinkedHashMap<>();

    ServedModels(List<ServedModel> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
        for (ServedModel m : models) {
            if (byId.putIfAbsent(m.id(), m) != null) {
                throw new IllegalArgumentException("two models have the id '" + m.id()
                        + "' (a model's id is its directory's name): serve one of them from a directory of another name");
            }
        }
    }

    List<ServedModel> all() {
        return new ArrayList<>(byId.values());
    }

    /** The model with this id, or 404. */
    ServedModel byId(String id) {
        ServedModel m = byId.get(id);
        if (m == null) {
            throw ApiException.modelNotFound(id);
        }
        return m;
    }

    /** The model a request names in {@code model}; the only one when it names none. */
    ServedModel of(RequestBody body) {
        var id = body.string("model");
        if (id.isPresent()) {
            return byId(id.get());
        }
        if (byId.size() == 1) {
            return byId.values().iterator().next();
        }
        throw ApiException.badRequest("model", "'model' is required: this server serves " + String.join(", ", byId.keySet()));
    }
}
