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
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.tensor.ElementwiseKernels;

/**
 * The one place that maps Hugging Face BERT tensors to gpt4j's BERT parameters
 * ({@link BertLayout}) and back. Hugging Face's {@code nn.Linear} weights are {@code [out, in]}
 * and are transposed to the blocks' Conv1D {@code [in, out]}; a layer's query, key and value
 * become one fused {@code c_attn}. Read: names with or without {@code bert.}, the old
 * {@code LayerNorm.gamma/beta}, the MLM bias as {@code cls.predictions.bias} or
 * {@code .decoder.bias}; the {@code position_ids} buffer is skipped and a stored decoder weight
 * must equal the word embedding it is tied to. Written: BertForPreTraining's own names. A
 * fine-tuned task head ({@code classifier.*}, BertForSequenceClassification's and
 * BertForMultipleChoice's) is not the BERT's: the BERT reader passes over it.
 */
final class BertNames {

    static final String PREFIX = "bert.";
    /** The tensors of a fine-tuned task head, read apart from the BERT's. */
    static final String HEAD_PREFIX = "classifier.";
    private static final String DECODER_WEIGHT = "cls.predictions.decoder.weight";
    private static final String DECODER_BIAS = "cls.predictions.decoder.bias";
    private static final String MLM_BIAS = "cls.predictions.bias";
    private static final String WORDS = "embeddings.word_embeddings.weight";
    private static final Set<String> BUFFERS = Set.of("embeddings.position_ids");
    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(0|[1-9]\\d{0,8})\\.");

    /** How an internal tensor is made of Hugging Face ones. */
    private enum Kind { COPY, TRANSPOSE, FUSED_WEIGHT, FUSED_BIAS }

    /** One internal tensor and the Hugging Face tensors (canonical names, no prefix) it comes from. */
    private record Source(ParameterSpec spec, Kind kind, List<String> names) {
    }

    private BertNames() {
    }

    /** Every Hugging Face tensor of {@code c}: canonical name (no {@code bert.}) to shape. */
    static Map<String, int[]> expected(BertConfig c) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Source s : sources(c)) {
            int[] shape = s.spec().shape();
            for (String name : s.names()) {
                shapes.put(name, switch (s.kind()) {
                    case COPY -> shape;
                    case TRANSPOSE -> new int[] {shape[1], shape[0]};
                    case FUSED_WEIGHT -> new int[] {shape[0], shape[0]};
                    case FUSED_BIAS -> new int[] {shape[0] / 3};
                });
            }
        }
        return shapes;
    }

    private static List<Source> sources(BertConfig c) {
        Map<String, ParameterSpec> specs = new LinkedHashMap<>();
        for (ParameterSpec s : BertLayout.of(c).specs()) {
            specs.put(s.name(), s);
        }
        List<Source> out = new ArrayList<>();
        copy(out, specs, "wte.weight", WORDS);
        copy(out, specs, "wpe.weight", "embeddings.position_embeddings.weight");
        copy(out, specs, "wtt.weight", "embeddings.token_type_embeddings.weight");
        norm(out, specs, "ln_e", "embeddings.LayerNorm");
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String h = "h." + l + ".";
            String e = "encoder.layer." + l + ".";
            String self = e + "attention.self.";
            out.add(new Source(specs.get(h + "attn.c_attn.weight"), Kind.FUSED_WEIGHT,
                    List.of(self + "query.weight", self + "key.weight", self + "value.weight")));
            out.add(new Source(specs.get(h + "attn.c_attn.bias"), Kind.FUSED_BIAS,
                    List.of(self + "query.bias", self + "key.bias", self + "value.bias")));
            dense(out, specs, h + "attn.c_proj", e + "attention.output.dense");
            norm(out, specs, h + "ln_1", e + "attention.output.LayerNorm");
            dense(out, specs, h + "mlp.c_fc", e + "intermediate.dense");
            dense(out, specs, h + "mlp.c_proj", e + "output.dense");
            norm(out, specs, h + "ln_2", e + "output.LayerNorm");
        }
        dense(out, specs, "pooler", "pooler.dense");
        dense(out, specs, "mlm.dense", "cls.predictions.transform.dense");
        norm(out, specs, "mlm.ln", "cls.predictions.transform.LayerNorm");
        copy(out, specs, "mlm.bias", MLM_BIAS);
        dense(out, specs, "nsp", "cls.seq_relationship");
        if (out.size() != specs.size()) {
            // every internal tensor has exactly one source: guards the two lists against drift
            throw new IllegalStateException("BertNames maps " + out.size() + " of " + specs.size() + " BERT tensors");
        }
        return out;
    }

    private static void copy(List<Source> out, Map<String, ParameterSpec> specs, String name, String hf) {
        out.add(new Source(specs.get(name), Kind.COPY, List.of(hf)));
    }

    private static void norm(List<Source> out, Map<String, ParameterSpec> specs, String name, String hf) {
        copy(out, specs, name + ".weight", hf + ".weight");
        copy(out, specs, name + ".bias", hf + ".bias");
    }

    private static void dense(List<Source> out, Map<String, ParameterSpec> specs, String name, String hf) {
        out.add(new Source(specs.get(name + ".weight"), Kind.TRANSPOSE, List.of(hf + ".weight")));
        copy(out, specs, name + ".bias", hf + ".bias");
    }

    /**
     * The canonical Hugging Face name of a stored tensor: without {@code bert.}, with
     * {@code LayerNorm.weight/bias} for the old {@code gamma/beta}, the MLM bias under one name.
     */
    static String canonical(String stored) {
        String n = stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()) : stored;
        if (n.endsWith("LayerNorm.gamma")) {
            n = n.substring(0, n.length() - "gamma".length()) + "weight";
        } else if (n.endsWith("LayerNorm.beta")) {
            n = n.substring(0, n.length() - "beta".length()) + "bias";
        }
        return n.equals(DECODER_BIAS) ? MLM_BIAS : n;
    }

    /**
     * Checks num_hidden_layers against the file in O(tensors): a layer is at least one tensor, so
     * a config claiming more layers than the file has tensors fails before anything is listed.
     */
    static void requireLayers(SafetensorsFile file, Path configFile, int layers) throws ModelFormatException {
        if (layers <= file.names().size()) {
            return;
        }
        Set<Integer> found = new HashSet<>();
        for (String name : file.names()) {
            Matcher m = LAYER.matcher(canonical(name));
            if (m.lookingAt()) {
                found.add(Integer.parseInt(m.group(1)));
            }
        }
        throw new ModelFormatException(configFile, "num_hidden_layers is " + layers + " but " + file.file().getFileName()
                + " holds " + found.size() + " layer" + (found.size() == 1 ? "" : "s")
                + " (encoder.layer.0, ...): do config.json and the weights belong together?");
    }

    /**
     * Every name and shape the config needs, checked against the header before any tensor is
     * read. Returns canonical name to stored name.
     */
    static Map<String, String> checkNamesAndShapes(SafetensorsFile file, BertConfig c) throws ModelFormatException {
        return checkNamesAndShapes(file, c, false);
    }

    /**
     * As {@link #checkNamesAndShapes(SafetensorsFile, BertConfig)}; with {@code headsOptional} the
     * pre-training heads ({@code cls.*}) may be missing, as in a BertModel or a fine-tuned
     * BertForSequenceClassification checkpoint: the map then lacks them.
     */
    static Map<String, String> checkNamesAndShapes(SafetensorsFile file, BertConfig c, boolean headsOptional)
            throws ModelFormatException {
        Path path = file.file();
        Map<String, String> stored = new LinkedHashMap<>();
        for (String name : file.names()) {
            String canonical = canonical(name);
            if (BUFFERS.contains(canonical) || canonical.startsWith(HEAD_PREFIX)) {
                continue;
            }
            String previous = stored.putIfAbsent(canonical, name);
            if (previous != null) {
                throw new ModelFormatException(path, "tensors '" + previous + "' and '" + name + "' are the same parameter");
            }
        }
        Map<String, String> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected(c).entrySet()) {
            String name = stored.remove(e.getKey());
            if (name == null) {
                missing.add(e.getKey());
                continue;
            }
            int[] shape = file.shape(name);
            if (!Arrays.equals(shape, e.getValue())) {
                throw new ModelFormatException(path, "tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + " but config.json implies " + Arrays.toString(e.getValue())
                        + " (do config.json and the weights belong together?)");
            }
            found.put(e.getKey(), name);
        }
        if (headsOptional) {
            missing.removeIf(n -> n.startsWith("cls."));
        }
        if (!missing.isEmpty()) {
            boolean heads = missing.stream().allMatch(n -> n.startsWith("cls.") || n.startsWith("pooler."));
            throw new ModelFormatException(path, "missing tensor" + (missing.size() > 1 ? "s " : " ") + list(missing)
                    + (heads ? ": gpt4j's BERT needs the pre-training heads (a BertForPreTraining checkpoint)"
                            : " that config.json requires"));
        }
        String decoder = stored.remove(DECODER_WEIGHT);
        if (decoder != null) {
            if (!Arrays.equals(file.shape(decoder), expected(c).get(WORDS))) {
                throw new ModelFormatException(path, "tensor '" + decoder + "' has shape " + Arrays.toString(file.shape(decoder))
                        + ", not the word embedding's it is tied to");
            }
            found.put(DECODER_WEIGHT, decoder);
        }
        if (!stored.isEmpty()) {
            throw new ModelFormatException(path, "unexpected tensor" + (stored.size() > 1 ? "s " : " ")
                    + list(new ArrayList<>(stored.values())) + " for a BERT with this config.json");
        }
        return found;
    }

    /**
     * Reads the tensors {@link #checkNamesAndShapes} found into gpt4j's parameters (name to values);
     * a pre-training head it let be missing is zeros.
     */
    static Map<String, float[]> readParameters(SafetensorsFile file, BertConfig c, Map<String, String> names)
            throws ModelFormatException {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = expected(c);
        for (Source s : sources(c)) {
            float[][] parts = new float[s.names().size()][];
            for (int i = 0; i < parts.length; i++) {
                String name = names.get(s.names().get(i));
                parts[i] = name != null ? read(file, name) : new float[count(shapes.get(s.names().get(i)))];
            }
            values.put(s.spec().name(), toInternal(s, parts));
        }
        String decoder = names.get(DECODER_WEIGHT);
        if (decoder != null && !Arrays.equals(file.readFloats(decoder), values.get("wte.weight"))) {
            throw new ModelFormatException(file.file(), "tensor '" + decoder + "' differs from the word embedding:"
                    + " an untied MLM decoder is not supported (gpt4j ties it to the word embedding)");
        }
        return values;
    }

    /** gpt4j's parameters as BertForPreTraining names them ({@code bert.} prefix, {@code [out, in]} weights). */
    static List<NamedTensor> toHuggingFace(BertConfig c, Map<String, float[]> parameters) {
        Map<String, int[]> shapes = expected(c);
        List<NamedTensor> out = new ArrayList<>();
        for (Source s : sources(c)) {
            float[][] parts = fromInternal(s, parameters.get(s.spec().name()));
            for (int i = 0; i < parts.length; i++) {
                String name = s.names().get(i);
                out.add(new NamedTensor(name.startsWith("cls.") ? name : PREFIX + name, shapes.get(name), parts[i]));
            }
        }
        return out;
    }

    /**
     * Hugging Face tensors (canonical names, shapes unchecked: the caller's own) as gpt4j's
     * parameters; the reference tests compare PyTorch's gradients this way.
     */
    static Map<String, float[]> toInternal(BertConfig c, Map<String, float[]> huggingFace) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Source s : sources(c)) {
            float[][] parts = new float[s.names().size()][];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = huggingFace.get(s.names().get(i));
                if (parts[i] == null) {
                    throw new IllegalArgumentException("missing tensor '" + s.names().get(i) + "'");
                }
            }
            values.put(s.spec().name(), toInternal(s, parts));
        }
        return values;
    }

    private static float[] toInternal(Source s, float[][] parts) {
        int[] shape = s.spec().shape();
        return switch (s.kind()) {
            case COPY -> parts[0];
            case TRANSPOSE -> transposed(parts[0], shape[1], shape[0]);
            case FUSED_BIAS -> concat(parts);
            case FUSED_WEIGHT -> {
                // c_attn [C, 3C]: row i is (W_q^T row i | W_k^T row i | W_v^T row i)
                int n = shape[0];
                float[] fused = new float[n * 3 * n];
                for (int k = 0; k < 3; k++) {
                    float[] t = transposed(parts[k], n, n);
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(t, i * n, fused, i * 3 * n + k * n, n);
                    }
                }
                yield fused;
            }
        };
    }

    private static float[][] fromInternal(Source s, float[] v) {
        int[] shape = s.spec().shape();
        return switch (s.kind()) {
            case COPY -> new float[][] {v};
            case TRANSPOSE -> new float[][] {transposed(v, shape[0], shape[1])};
            case FUSED_BIAS -> {
                int n = shape[0] / 3;
                yield new float[][] {Arrays.copyOfRange(v, 0, n), Arrays.copyOfRange(v, n, 2 * n), Arrays.copyOfRange(v, 2 * n, 3 * n)};
            }
            case FUSED_WEIGHT -> {
                int n = shape[0];
                float[][] parts = new float[3][];
                float[] t = new float[n * n];
                for (int k = 0; k < 3; k++) {
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(v, i * 3 * n + k * n, t, i * n, n);
                    }
                    parts[k] = transposed(t, n, n);
                }
                yield parts;
            }
        };
    }

    /** A new {@code [cols, rows]} array holding {@code src [rows, cols]} transposed. */
    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static float[] transposed(float[] src, int rows, int cols) {
        float[] dst = new float[src.length];
        ElementwiseKernels.transpose(dst, src, rows, cols);
        return dst;
    }

    private static float[] concat(float[][] parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static float[] read(SafetensorsFile file, String name) throws ModelFormatException {
        float[] values = file.readFloats(name);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ModelFormatException(file.file(), "tensor '" + name + "' holds a non-finite value (" + values[i]
                        + " at index " + i + "): the weights are damaged or come from a diverged run");
            }
        }
        return values;
    }

    private static String list(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(5, names.size()); i++) {
            b.append(i == 0 ? "" : ", ").append('\'').append(names.get(i)).append('\'');
        }
        if (names.size() > 5) {
            b.append(" and ").append(names.size() - 5).append(" more");
        }
        return b.toString();
    }
}
