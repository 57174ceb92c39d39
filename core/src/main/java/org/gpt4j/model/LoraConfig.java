package org.gpt4j.model;

import java.util.List;

/**
 * LoRA's settings (Hu et al. 2021), in PEFT's terms: the rank r of each update, lora_alpha, and
 * the target modules. A target names GPT-2 Conv1D layers as PEFT matches them: a module is
 * adapted when its full name ({@code transformer.h.0.attn.c_attn}) equals a target or ends with
 * "." + the target, so {@code c_proj} adapts both {@code attn.c_proj} and {@code mlp.c_proj},
 * and {@code h.0.attn.c_attn} one layer only.
 *
 * @param rank    r, the inner dimension of B A
 * @param alpha   lora_alpha: the update is scaled by alpha / r (or alpha / sqrt(r) with rsLora)
 * @param targets PEFT's target_modules, in the list form
 * @param rsLora  PEFT's use_rslora (Kalajdzievski 2023): scale by alpha / sqrt(r)
 */
public record LoraConfig(int rank, double alpha, List<String> targets, boolean rsLora) {

    /** Full module names carry this prefix in Hugging Face's GPT-2 (and so in PEFT's matching). */
    public static final String TRANSFORMER = "transformer.";

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("the LoRA rank r must be >= 1, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("lora_alpha must be a positive number, got " + alpha);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module (e.g. c_attn)");
        }
        for (String t : targets) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("a LoRA target module name is empty");
            }
        }
        targets = List.copyOf(targets);
    }

    /** The factor s of the update W0 + s B A. */
    public double scale() {
        return rsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /** PEFT's rule for a list of targets, on a gpt4j module name such as {@code h.0.attn.c_attn}. */
    public boolean targets(String module) {
        String key = TRANSFORMER + module;
        for (String t : targets) {
            if (key.equals(t) || key.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }
}
