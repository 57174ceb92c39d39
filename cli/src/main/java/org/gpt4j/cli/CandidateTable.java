package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.gpt4j.generate.GenerationStep;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Prints one step of the generation timeline: the model's top candidates, their probability after
 * each processing stage (a dash once a filter removed them), and the token chosen.
 */
final class CandidateTable {

    private CandidateTable() {
    }

    static void print(PrintWriter out, int sequence, GenerationStep step, Tokenizer tokenizer) {
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-8s %-18s", "id", "token"));
        for (String stage : step.stages()) {
            header.append(String.format(Locale.ROOT, " %10s", shorten(stage)));
        }
        out.printf(Locale.ROOT, "%nstep %d%s%n", step.index() + 1, sequence > 0 ? " (sequence " + (sequence + 1) + ")" : "");
        out.println("  " + header.toString().stripTrailing());
        for (GenerationStep.Candidate c : step.candidates()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-8d %-18s", c.id(),
                    clip(Prompts.label(tokenizer, c.id()))));
            for (double p : c.probabilities()) {
                row.append(String.format(Locale.ROOT, " %10s", percent(p)));
            }
            out.println((c.id() == step.chosen() ? "> " : "  ") + row.toString().stripTrailing());
        }
        out.printf(Locale.ROOT, "  chosen: %d %s%n", step.chosen(), Prompts.label(tokenizer, step.chosen()));
        out.flush();
    }

    /** A dash for a removed token; tiny probabilities (a 50k vocabulary) in scientific notation. */
    private static String percent(double p) {
        if (p == 0) {
            return "-";
        }
        return 100 * p >= 0.01 ? String.format(Locale.ROOT, "%.2f%%", 100 * p) : String.format(Locale.ROOT, "%.1e%%", 100 * p);
    }

    private static String shorten(String stage) {
        return switch (stage) {
            case "repetition_penalty" -> "rep_pen";
            case "no_repeat_ngram_size" -> "no_ngram";
            default -> stage;
        };
    }

    private static String clip(String s) {
        return s.length() <= 18 ? s : s.substring(0, 17) + "…";
    }
}
