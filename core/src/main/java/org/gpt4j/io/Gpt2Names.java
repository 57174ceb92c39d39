package org.gpt4j.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;

/**
 * The one place that maps Hugging Face GPT-2 tensor names to gpt4j's parameters. The names are
 * the same but for the optional {@code transformer.} prefix (GPT2LMHeadModel writes it,
 * GPT2Model does not), the causal-mask buffers that older checkpoints store, and the
 * {@code lm_head.weight} that is only ever a copy of the tied {@code wte.weight}. A task head
 * stored beside the transformer ({@code score.weight}, as GPT2ForSequenceClassification names it)
 * is not the GPT's: the GPT's reader passes over it and the fine-tuning code reads it.
 */
final class Gpt2Names {

    static final String PREFIX = "transformer.";
    static final String LM_HEAD = "lm_head.weight";
    static final String WTE = "wte.weight";
    /** GPT2ForSequenceClassification's linear head {@code [num_labels, n_embd]}. */
    static final String SCORE = "score.weight";

    /** {@code h.N.attn.bias} and {@code h.N.attn.masked_bias}: constant masks, not parameters. */
    private static final Pattern MASK_BUFFER = Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)");

    /** How many names an error lists before "and N more". */
    private static final int LISTED = 5;

    private Gpt2Names() {
    }

    /**
     * Reads every parameter of {@code layout} from the file, checking names and shapes.
     *
     * @return parameter name (without prefix) to values
     */
    static Map<String, float[]> readParameters(SafetensorsFile file, ParameterLayout layout)
            throws ModelFormatException {
        Map<String, float[]> values = new LinkedHashMap<>();
        readParameters(file, layout, (spec, v) -> values.put(spec.name(), v));
        return values;
    }

    /** Receives each tensor as it is read, so that a caller can convert it before the next. */
    @FunctionalInterface
    interface TensorSink {
        void accept(ParameterSpec spec, float[] values);
    }

    /** As {@link #readParameters(SafetensorsFile, ParameterLayout)}, handing each tensor to {@code sink}. */
    static void readParameters(SafetensorsFile file, ParameterLayout layout, TensorSink sink)
            throws ModelFormatException {
        Path path = file.file();
        Map<String, String> stored = storedNames(file); // parameter name -> name in the file
        List<String> missing = new ArrayList<>();
        String lmHead = stored.get(LM_HEAD);
        for (ParameterSpec spec : layout.specs()) {
            String name = stored.remove(spec.name());
            if (name == null) {
                missing.add(spec.name());
                continue;
            }
            int[] shape = file.shape(name);
            if (!Arrays.equals(shape, spec.shape())) {
                throw new ModelFormatException(path, "tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + " but config.json implies " + spec.shapeString() + " (do config.json and the weights belong together?)");
            }
            float[] values = file.readFloats(name);
            if (lmHead != null && spec.name().equals(WTE)) {
                requireTied(file, lmHead, values);
            }
            sink.accept(spec, values);
        }
        if (!missing.isEmpty()) {
            throw new ModelFormatException(path, "missing tensor" + (missing.size() > 1 ? "s " : " ") + list(missing)
                    + " that config.json requires");
        }
        stored.remove(LM_HEAD);
        stored.remove(SCORE);
        if (!stored.isEmpty()) {
            throw new ModelFormatException(path, "unexpected tensor" + (stored.size() > 1 ? "s " : " ")
                    + list(new ArrayList<>(stored.values())) + " for a GPT-2 with this config.json");
        }
    }

    /** Parameter name -> stored name, in file order, without the mask buffers. */
    private static Map<String, String> storedNames(SafetensorsFile file) throws ModelFormatException {
        Map<String, String> stored = new LinkedHashMap<>();
        for (String name : file.names()) {
            String bare = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
            if (MASK_BUFFER.matcher(bare).matches()) {
                continue;
            }
            String previous = stored.putIfAbsent(bare, name);
            if (previous != null) {
                throw new ModelFormatException(file.file(), "tensors '" + previous + "' and '" + name
                        + "' are the same parameter");
            }
        }
        return stored;
    }

    /** gpt4j ties the unembedding to wte; a stored lm_head is accepted only as that same matrix. */
    private static void requireTied(SafetensorsFile file, String lmHead, float[] wte) throws ModelFormatException {
        if (!Arrays.equals(file.readFloats(lmHead), wte)) {
            throw new ModelFormatException(file.file(), "tensor '" + lmHead + "' differs from " + WTE
                    + ": an untied lm_head is not supported (gpt4j ties the unembedding to the token embedding)");
        }
    }

    private static String list(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(LISTED, names.size()); i++) {
            b.append(i == 0 ? "" : ", ").append('\'').append(names.get(i)).append('\'');
        }
        if (names.size() > LISTED) {
            b.append(" and ").append(names.size() - LISTED).append(" more");
        }
        return b.toString();
    }
}
