package org.gpt4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A BERT pre-training corpus as Google's create_pretraining_data.py reads one: documents separated
 * by blank lines, each split into sentences (one per line, and a line holding several is split
 * after '.', '!' or '?' followed by space), every sentence encoded without special tokens. Every
 * tenth document (the last one when there are fewer than ten) is held out for validation.
 */
public record BertCorpus(List<List<int[]>> train, List<List<int[]>> validation) {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

    /**
     * @throws IllegalArgumentException naming the files when they hold fewer than two documents
     *                                  (next-sentence prediction draws random sentences from another)
     */
    public static BertCorpus read(List<Path> files, Function<String, int[]> encoder) throws IOException {
        List<List<int[]>> documents = new ArrayList<>();
        for (Path f : files) {
            List<int[]> current = new ArrayList<>();
            for (String line : CorpusText.read(f, "a BERT pre-training corpus").split("\r?\n")) {
                if (line.isBlank()) {
                    if (!current.isEmpty()) {
                        documents.add(current);
                        current = new ArrayList<>();
                    }
                    continue;
                }
                for (String sentence : SENTENCE_END.split(line.strip())) {
                    int[] ids = encoder.apply(sentence);
                    if (ids.length > 0) {
                        current.add(ids);
                    }
                }
            }
            if (!current.isEmpty()) {
                documents.add(current);
            }
        }
        if (documents.size() < 2) {
            throw new IllegalArgumentException(files + " hold" + (files.size() == 1 ? "s " : " ") + documents.size()
                    + " document(s); BERT pre-training needs at least 2 (separate documents with a blank line)");
        }
        List<List<int[]>> train = new ArrayList<>();
        List<List<int[]>> validation = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            boolean heldOut = documents.size() < 10 ? d == documents.size() - 1 : d % 10 == 9;
            (heldOut ? validation : train).add(documents.get(d));
        }
        return new BertCorpus(train, validation);
    }
}
