package org.gpt4j.cli;

import java.util.Map;
import picocli.CommandLine;

/**
 * Named training set-ups for {@code train --preset}: nanoGPT's Shakespeare character model and a
 * ladder of CPU-sized GPTs; and Google's compact BERTs (Turc et al. 2019, "Well-Read Students Learn
 * Better": BERT-Tiny, -Mini, -Small, -Medium, the shapes of the checkpoints Google released), which
 * make the run a BERT's. Flags given with a preset override it.
 */
enum TrainPreset {
    /** nanoGPT's config/train_shakespeare_char.py. */
    shakespeare_char(Map.ofEntries(Map.entry("layers", "6"), Map.entry("heads", "6"), Map.entry("embd", "384"),
            Map.entry("context", "256"), Map.entry("batch", "64"), Map.entry("dropout", "0.2"), Map.entry("lr", "1e-3"),
            Map.entry("min-lr", "1e-4"), Map.entry("steps", "5000"), Map.entry("warmup", "100"), Map.entry("beta2", "0.99"),
            Map.entry("eval-every", "250"))),
    nano(Map.of("layers", "3", "heads", "3", "embd", "48", "context", "64", "batch", "16")),
    micro(Map.of("layers", "4", "heads", "4", "embd", "128", "context", "128", "batch", "32")),
    mini(Map.of("layers", "6", "heads", "6", "embd", "192", "context", "256", "batch", "32")),
    // BERT's first pre-training phase reads sequences of 128 tokens.
    bert_tiny(true, Map.of("layers", "2", "heads", "2", "embd", "128", "context", "128", "batch", "32")),
    bert_mini(true, Map.of("layers", "4", "heads", "4", "embd", "256", "context", "128", "batch", "32")),
    bert_small(true, Map.of("layers", "4", "heads", "8", "embd", "512", "context", "128", "batch", "32")),
    bert_medium(true, Map.of("layers", "8", "heads", "8", "embd", "512", "context", "128", "batch", "32"));

    final Map<String, String> flags;
    /** A BERT's set-up (train --arch bert), not a GPT's. */
    final boolean bert;

    TrainPreset(Map<String, String> flags) {
        this(false, flags);
    }

    TrainPreset(boolean bert, Map<String, String> flags) {
        this.bert = bert;
        this.flags = flags;
    }

    /** The presets' names, for messages: GPT's or BERT's. */
    static String names(boolean bert) {
        return String.join(", ", java.util.Arrays.stream(values()).filter(p -> p.bert == bert).map(TrainPreset::toString)
                .toList());
    }

    @Override
    public String toString() {
        return name().replace('_', '-');
    }

    static final class Converter implements CommandLine.ITypeConverter<TrainPreset> {
        @Override
        public TrainPreset convert(String value) {
            for (TrainPreset p : values()) {
                if (p.toString().equalsIgnoreCase(value)) {
                    return p;
                }
            }
            throw new CommandLine.TypeConversionException("unknown preset '" + value + "' (a GPT's: " + names(false)
                    + "; a BERT's: " + names(true) + ")");
        }
    }
}
