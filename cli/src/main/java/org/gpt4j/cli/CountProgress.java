package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress over a known count of items, on stderr (stdout holds the result): a bar with an ETA on
 * a terminal, otherwise a plain line at every tenth of the items.
 */
final class CountProgress implements AutoCloseable {

    private final PrintWriter err;
    private final String task;
    private final String unit;
    private final int total;
    private final long start = System.nanoTime();
    private final ProgressBar bar;
    private int lastLine;

    CountProgress(PrintWriter err, boolean terminal, String task, String unit, int total) {
        this.err = err;
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build() : null;
    }

    /** {@code done} items are finished (may be called from any thread). */
    synchronized void stepTo(int done) {
        if (bar != null) {
            bar.stepTo(done);
        } else if (done == total || done - lastLine >= Math.max(1, total / 10)) {
            lastLine = done;
            err.printf(Locale.ROOT, "%s: %d/%d %s  %.0f s%n", task, done, total, unit, (System.nanoTime() - start) / 1e9);
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
