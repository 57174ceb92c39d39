package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gpt4j.fewshot.FewShotEvaluator;

/**
 * How {@code fewshot} shows a run, on stderr only (stdout holds the result): a progress bar on a
 * terminal, otherwise a line every tenth of the examples.
 */
final class FewShotProgress implements FewShotEvaluator.Listener, AutoCloseable {

    private final PrintWriter err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private ProgressBar bar;

    FewShotProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void onQuestion(int done, int total) {
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("fewshot").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).continuousUpdate().build();
            }
            bar.stepTo(done);
        } else if (done == total || done % Math.max(1, total / 10) == 0) {
            err.printf(Locale.ROOT, "fewshot: %d/%d examples  %.0f s%n", done, total, (System.nanoTime() - start) / 1e9);
            err.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
