package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j params}: every weight tensor of a GPT with its shape and count, without allocating it. */
@Command(name = "params", header = "List every weight tensor with its shape and count, and the total.", mixinStandardHelpOptions = true,
        description = {"List every parameter tensor of a GPT with its shape and count, and the total.",
            "The model is never allocated, so even GPT-3 175B is counted instantly.",
            "Give the shape with size flags, --model DIR, or --preset. Past " + ParamsCommand.LISTED_BLOCKS + " layers the",
            "blocks after h.0 are summarised in one line (every block has h.0's shapes)."})
final class ParamsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelShapeOptions shape;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", paramLabel = "DIR", description = "Read the shape from a model directory's config.json (or a model name under models/).")
    Path model;

    @Option(names = "--preset", paramLabel = "NAME", converter = Preset.Converter.class,
            description = "A published shape: gpt2, gpt2-medium, gpt2-large, gpt2-xl, gpt3-175b.")
    Preset preset;

    @Option(names = "--json", description = "Print {\"total\": N, \"tensors\": [{\"name\", \"shape\", \"count\"}...]}; "
            + "past " + LISTED_BLOCKS + " layers also \"repeated_blocks\": {\"from\", \"to\", \"like\", \"count\"} "
            + "for the blocks after h.0, which \"tensors\" then leaves out.")
    boolean json;

    /** Up to this many layers every block is listed; past it the listing would grow with n_layer. */
    static final int LISTED_BLOCKS = 128;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        GptConfig config = resolveConfig();
        // O(1) in n_layer: the blocks are alike, so they are counted, not built.
        long total = ParameterLayout.parameterCount(config);
        int listed = config.nLayer() <= LISTED_BLOCKS ? config.nLayer() : 1;
        List<ParameterSpec> shown = new ArrayList<>(ParameterLayout.embeddings(config));
        for (int l = 0; l < listed; l++) {
            shown.addAll(ParameterLayout.block(config, l));
        }
        List<ParameterSpec> tail = ParameterLayout.finalNorm(config);
        long repeatedCount = total - count(shown) - count(tail);
        shown.addAll(tail);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("total", total);
            ArrayNode tensors = root.putArray("tensors");
            for (ParameterSpec p : shown) {
                ObjectNode t = tensors.addObject();
                t.put("name", p.name());
                ArrayNode s = t.putArray("shape");
                for (int d : p.shape()) {
                    s.add(d);
                }
                t.put("count", p.count());
            }
            if (listed < config.nLayer()) {
                ObjectNode r = root.putObject("repeated_blocks");
                r.put("from", listed).put("to", config.nLayer() - 1).put("like", "h.0").put("count", repeatedCount);
            }
            out.println(mapper.writeValueAsString(root));
        } else {
            printTable(out, config, shown, listed, repeatedCount, total);
        }
        out.flush();
        return 0;
    }

    private static long count(List<ParameterSpec> specs) {
        long n = 0;
        for (ParameterSpec p : specs) {
            n += p.count();
        }
        return n;
    }

    private GptConfig resolveConfig() throws Exception {
        int sources = (model != null ? 1 : 0) + (preset != null ? 1 : 0) + (shape.given() ? 1 : 0);
        if (sources == 0) {
            throw new IllegalArgumentException("give a shape: --layers/--heads/--embd, --model DIR, or --preset NAME");
        }
        if (sources > 1) {
            throw new IllegalArgumentException("give only one of: size flags, --model, --preset");
        }
        if (model != null) {
            return ModelDirectory.readConfig(model);
        }
        if (preset != null) {
            return preset.config();
        }
        return shape.toConfig();
    }

    private static void printTable(PrintWriter out, GptConfig c, List<ParameterSpec> shown, int listed,
            long repeatedCount, long total) {
        out.printf(Locale.ROOT, "GPT: %d layers, %d heads, %d wide, context %d, vocabulary %d, %s positions, %s-LN%n",
                c.nLayer(), c.nHead(), c.nEmbd(), c.nPositions(), c.vocabSize(),
                c.positionalEncoding().configName(), c.layerNorm().configName());
        String repeated = listed < c.nLayer() ? "h." + listed + " .. h." + (c.nLayer() - 1) : null;
        int width = Math.max(shown.stream().mapToInt(p -> p.name().length()).max().orElse(10),
                repeated == null ? 0 : repeated.length());
        String row = "  %-" + width + "s  %-16s %,18d%n";
        for (ParameterSpec p : shown) {
            out.printf(Locale.ROOT, row, p.name(), shapeText(p.shape()), p.count());
            if (repeated != null && p.name().equals("h.0.mlp.c_proj.bias")) {
                out.printf(Locale.ROOT, row, repeated, "each like h.0", repeatedCount);
            }
        }
        out.printf(Locale.ROOT, row, "total", "", total);
        out.printf(Locale.ROOT, "  (lm_head is tied to wte and adds nothing; fp32 size %s)%n", humanBytes(total * 4.0));
    }

    private static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(" x ");
            }
            sb.append(shape[i]);
        }
        return sb.toString();
    }

    static String humanBytes(double bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Published GPT shapes (GPT-2 family from Hugging Face configs; GPT-3 175B from its paper). */
    enum Preset {
        gpt2(12, 12, 768, 1024),
        gpt2_medium(24, 16, 1024, 1024),
        gpt2_large(36, 20, 1280, 1024),
        gpt2_xl(48, 25, 1600, 1024),
        gpt3_175b(96, 96, 12288, 2048);

        final int layers;
        final int heads;
        final int embd;
        final int context;

        Preset(int layers, int heads, int embd, int context) {
            this.layers = layers;
            this.heads = heads;
            this.embd = embd;
            this.context = context;
        }

        GptConfig config() {
            return GptConfig.gpt2(layers, heads, embd, context, 50257);
        }

        @Override
        public String toString() {
            return name().replace('_', '-');
        }

        static final class Converter implements picocli.CommandLine.ITypeConverter<Preset> {
            @Override
            public Preset convert(String value) {
                for (Preset p : values()) {
                    if (p.toString().equalsIgnoreCase(value)) {
                        return p;
                    }
                }
                throw new picocli.CommandLine.TypeConversionException("unknown preset '" + value
                        + "' (expected gpt2, gpt2-medium, gpt2-large, gpt2-xl or gpt3-175b)");
            }
        }
    }
}
