package org.gpt4j.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gpt4j.tensor.Matmul;

/**
 * LoRA adapters for a GPT's Conv1D layers (Hu et al. 2021): for each targeted module W0
 * {@code [in, out]}, a pair A {@code [r, in]}, B {@code [out, r]} in PEFT's layout (torch Linear
 * weights), and the update s B A that the frozen W0 gains. The pairs live in one
 * {@link Parameters} ({@code h.0.attn.c_attn.lora_A.weight}, ...: PEFT's names without
 * {@code base_model.model.transformer.}), so AdamW and clipping treat them as any model's.
 *
 * <p>Attached to a GPT with {@link Gpt#withAdapters}: the same forward then adds each update on
 * its own low-rank path ({@link LoraLayer}), and the backward gives A and B their gradients
 * while every Conv1D weight and bias of the base gets none (LayerNorms and embeddings still do,
 * cheaply: a caller trains the rows it wants, e.g. new tokens', and ignores the rest).
 * {@link #mergeInto} folds them into the weights instead.
 */
public final class LoraAdapters {

    public static final String A = ".lora_A.weight";
    public static final String B = ".lora_B.weight";

    /** One Conv1D layer of a GPT: its name ({@code h.0.attn.c_attn}) and W0's {@code [in, out]}. */
    public record Module(String name, int in, int out) {
    }

    private final LoraConfig config;
    private final List<Module> modules;
    private final Map<String, Module> byName = new LinkedHashMap<>();
    private final Parameters parameters;

    private LoraAdapters(LoraConfig config, List<Module> modules, Parameters parameters) {
        this.config = config;
        this.modules = List.copyOf(modules);
        for (Module m : modules) {
            byName.put(m.name(), m);
        }
        this.parameters = parameters;
    }

    /** Every Conv1D layer of a GPT of this shape, in parameter order. */
    public static List<Module> conv1dModules(GptConfig gpt) {
        List<Module> out = new ArrayList<>();
        for (ParameterSpec s : ParameterLayout.of(gpt).specs()) {
            if (s.name().startsWith("h.") && s.name().endsWith(".weight") && s.rank() == 2) {
                out.add(new Module(s.name().substring(0, s.name().length() - ".weight".length()), s.shape()[0], s.shape()[1]));
            }
        }
        return out;
    }

    /**
     * The modules the config targets.
     *
     * @throws IllegalArgumentException naming a target that matches no Conv1D layer
     */
    public static List<Module> targeted(GptConfig gpt, LoraConfig lora) {
        List<Module> all = conv1dModules(gpt);
        for (String t : lora.targets()) {
            boolean found = all.stream().anyMatch(m -> new LoraConfig(1, 1, List.of(t), false).targets(m.name()));
            if (!found) {
                throw new IllegalArgumentException("LoRA target '" + t + "' matches no layer of this GPT: LoRA adapts its"
                        + " Conv1D layers attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj (in h.0 .. h." + (gpt.nLayer() - 1)
                        + "; c_proj names both)");
            }
        }
        return all.stream().filter(m -> lora.targets(m.name())).toList();
    }

    /** The tensors of the adapters on these modules: A {@code [r, in]}, B {@code [out, r]} each. */
    public static ParameterLayout layout(List<Module> modules, int rank) {
        List<ParameterSpec> specs = new ArrayList<>();
        for (Module m : modules) {
            specs.add(new ParameterSpec(m.name() + A, new int[] {rank, m.in()}));
            specs.add(new ParameterSpec(m.name() + B, new int[] {m.out(), rank}));
        }
        return ParameterLayout.ofSpecs(specs);
    }

    /**
     * New adapters as PEFT initialises them: A from kaiming_uniform(a = sqrt(5)), i.e.
     * U(-1/sqrt(in), 1/sqrt(in)), and B = 0, so the adapted GPT starts as the base.
     */
    public static LoraAdapters initialized(GptConfig gpt, LoraConfig lora, long seed) {
        List<Module> modules = targeted(gpt, lora);
        Parameters p = Parameters.zeros(layout(modules, lora.rank()));
        SplittableRandom rng = new SplittableRandom(seed);
        for (Module m : modules) {
            float[] a = p.data(m.name() + A);
            double bound = 1 / Math.sqrt(m.in());
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
        }
        return new LoraAdapters(lora, modules, p);
    }

    /**
     * Adapters over stored values, keyed as {@link #parameters()} names them.
     *
     * @throws IllegalArgumentException naming a missing or misshapen tensor or an unmatched target
     */
    public static LoraAdapters of(GptConfig gpt, LoraConfig lora, Map<String, float[]> values) {
        List<Module> modules = targeted(gpt, lora);
        return new LoraAdapters(lora, modules, Parameters.of(layout(modules, lora.rank()), values));
    }

    public LoraConfig config() {
        return config;
    }

    public List<Module> modules() {
        return modules;
    }

    public Parameters parameters() {
        return parameters;
    }

    /** True when these adapters were made for a GPT of this shape. */
    public boolean fits(GptConfig gpt) {
        try {
            return targeted(gpt, config).equals(modules);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The low-rank path of one module, or null when the module is not adapted. */
    LoraLayer layer(String module) {
        Module m = byName.get(module);
        return m == null ? null
                : new LoraLayer(parameters, module, m.in(), m.out(), config.rank(), (float) config.scale());
    }

    /**
     * A plain GPT whose weights hold the updates, W = W0 + s (B A)^T in Conv1D's {@code [in, out]}
     * (PEFT's merge_and_unload with fan_in_fan_out): the same function without the low-rank path.
     * {@code base} (f32, without adapters) is left unchanged.
     */
    public Gpt mergeInto(Gpt base) {
        if (!fits(base.config())) {
            throw new IllegalArgumentException("these LoRA adapters were made for a GPT of another shape");
        }
        if (base.adapters() != null) {
            throw new IllegalArgumentException("merge into the base GPT, not one that already runs adapters");
        }
        Parameters p = base.parameters();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (ParameterSpec s : p.specs()) {
            values.put(s.name(), p.data(s.name()).clone());
        }
        int r = config.rank();
        float s = (float) config.scale();
        for (Module m : modules) {
            float[] b = parameters.data(m.name() + B);
            // dW [in, out] = A^T (s B^T): the weight-gradient product x^T dy with x = A, dy = s B^T.
            float[] sbt = new float[r * m.out()];
            for (int o = 0; o < m.out(); o++) {
                for (int k = 0; k < r; k++) {
                    sbt[k * m.out() + o] = s * b[o * r + k];
                }
            }
            Matmul.backward(null, values.get(m.name() + ".weight"), null, sbt, parameters.data(m.name() + A), null, r,
                    m.in(), m.out());
        }
        return new Gpt(base.config(), Parameters.of(p.layout(), values));
    }
}
