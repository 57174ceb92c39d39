package org.gpt4j.finetune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** A made-up classification TSV that a tiny model can learn in a few epochs, for the fine-tuning tests. */
public final class SyntheticTask {

    private SyntheticTask() {
    }

    /** {@code n} texts of a's (label a) or b's (label b), alternating, each with a few noise characters, random lengths. */
    public static Path write(Path file, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder("text\tlabel\n");
        String noise = " .xyz";
        for (int i = 0; i < n; i++) {
            char c = i % 2 == 0 ? 'a' : 'b';
            StringBuilder t = new StringBuilder();
            int len = 3 + rng.nextInt(12);
            for (int k = 0; k < len; k++) {
                t.append(rng.nextInt(3) == 0 ? noise.charAt(rng.nextInt(noise.length())) : c);
            }
            s.append(t.toString().strip().isEmpty() ? String.valueOf(c) : t.toString().strip()).append('\t').append(c).append('\n');
        }
        Files.writeString(file, s);
        return file;
    }
}
