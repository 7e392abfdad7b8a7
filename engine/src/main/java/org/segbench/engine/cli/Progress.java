package org.segbench.engine.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Progress on stderr, so stdout keeps only the summary. On a terminal a bar redrawn in place; in
 * a log or a pipe, where a carriage return does not redraw anything, one plain line every few
 * seconds, as progress tools do for non-interactive output.
 */
final class Progress {
    /** Seconds between the lines written when stderr is not a terminal. */
    static final int LOG_INTERVAL_MS = 5000;

    private Progress() {
    }

    /** @param total number of steps, or -1 when unknown */
    static ProgressBar start(String task, long total) {
        boolean terminal = System.console() != null;
        return start(task, total, System.err, terminal, terminal ? 250 : LOG_INTERVAL_MS);
    }

    static ProgressBar start(String task, long total, PrintStream err, boolean terminal, int intervalMs) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(intervalMs);
        if (terminal) {
            b.setConsumer(new ConsoleProgressBarConsumer(err)).continuousUpdate();
        } else {
            // a line per update, no redraw: the interval alone sets how often (closing repeats
            // the last update, which is not worth a second line)
            String[] last = {""};
            b.setConsumer(new DelegatingProgressBarConsumer(line -> {
                String text = line.strip();
                if (!text.equals(last[0])) {
                    last[0] = text;
                    err.println(text);
                    err.flush();
                }
            }, 100));
        }
        return b.build();
    }
}
