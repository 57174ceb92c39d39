package org.gpt4j.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
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

    /** A block's tensor, {@code h.N.}: N of at most nine digits (more blocks than an int counts are no GPT). */
    private static final Pattern BLOCK = Pattern.compile("h\\.(0|[1-9]\\d{0,8})\\.");

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

    /**
     * Checks that config.json's n_layer could be held by the file, in O(tensors in the file): a
     * block is at least one tensor, so a config claiming more blocks than the file has tensors
     * fails at once instead of listing (and allocating) them. Any other mismatch is left to
     * {@link #checkNamesAndShapes}, which names the missing or unexpected tensors.
     *
     * @param nLayer the n_layer read from {@code configFile}
     */
    static void requireLayers(SafetensorsFile file, Path configFile, int nLayer) throws ModelFormatException {
        if (nLayer <= file.names().size()) {
            return;
        }
        Set<Integer> blocks = new HashSet<>();
        for (String name : file.names()) {
            String bare = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
            Matcher m = BLOCK.matcher(bare);
            if (m.lookingAt()) {
                blocks.add(Integer.parseInt(m.group(1)));
            }
        }
        throw new ModelFormatException(configFile, "n_layer is " + nLayer + " but " + file.file().getFileName()
                + " holds " + blocks.size() + " block" + (blocks.size() == 1 ? "" : "s") + " (h.0, h.1, ...):"
                + " do config.json and the weights belong together?");
    }

    /** As {@link #readParameters(SafetensorsFile, ParameterLayout)}, handing each tensor to {@code sink}. */
    static void readParameters(SafetensorsFile file, ParameterLayout layout, TensorSink sink)
            throws ModelFormatException {
        readParameters(file, layout, checkNamesAndShapes(file, layout), sink);
    }

    /**
     * Reads the tensors {@link #checkNamesAndShapes} found, handing each to {@code sink}.
     *
     * @param names parameter name to its name in the file
     */
    static void readParameters(SafetensorsFile file, ParameterLayout layout, Map<String, String> names, TensorSink sink)
            throws ModelFormatException {
        String lmHead = storedNames(file).get(LM_HEAD);
        for (ParameterSpec spec : layout.specs()) {
            String name = names.get(spec.name());
            float[] values = file.readFloats(name);
            requireFinite(file, name, values);
            if (lmHead != null && spec.name().equals(WTE)) {
                requireTied(file, lmHead, values);
            }
            sink.accept(spec, values);
        }
    }

    /**
     * Every name and shape the layout needs, checked against the header before any tensor is read:
     * a mismatch fails without allocating anything.
     *
     * @return parameter name to its name in the file
     */
    static Map<String, String> checkNamesAndShapes(SafetensorsFile file, ParameterLayout layout)
            throws ModelFormatException {
        Path path = file.file();
        Map<String, String> stored = storedNames(file); // parameter name -> name in the file
        Map<String, String> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
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
            found.put(spec.name(), name);
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
        return found;
    }

    /**
     * A NaN or infinite weight makes every logit NaN: the model cannot be run, so it is refused
     * where the damage is (a diverged or corrupted checkpoint), not as garbage text later.
     */
    private static void requireFinite(SafetensorsFile file, String name, float[] values) throws ModelFormatException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                int bad = 0;
                for (float v : values) {
                    bad += Float.isFinite(v) ? 0 : 1;
                }
                throw new ModelFormatException(file.file(), "tensor '" + name + "' holds " + bad + " non-finite value"
                        + (bad == 1 ? "" : "s") + " (the first, " + values[i] + ", at index " + i
                        + "): the weights are damaged or come from a diverged run");
            }
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
