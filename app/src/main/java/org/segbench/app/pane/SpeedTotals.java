package org.segbench.app.pane;

import org.segbench.engine.Timings;

/**
 * What a pane has done since it opened, for a run report: frames predicted and shown, and the
 * stage times summed. Two readings a while apart ({@link Reading#since}) give the means and rates
 * over that stretch, e.g. after a warm-up. Written by the pane's worker and the FX thread.
 */
public final class SpeedTotals {
    private long predicted;
    private long shown;
    private double preprocessMs;
    private double inferenceMs;
    private double postprocessMs;

    /**
     * The totals at one moment.
     *
     * @param nanos   {@link System#nanoTime()} when read
     * @param dropped frames that never reached the model: replaced in the pane's mailbox by a newer one
     */
    public record Reading(long nanos, long predicted, long shown, long dropped, double preprocessMs,
                          double inferenceMs, double postprocessMs) {

        /** What happened between an earlier reading and this one. */
        public Reading since(Reading earlier) {
            return new Reading(nanos - earlier.nanos, predicted - earlier.predicted, shown - earlier.shown,
                    dropped - earlier.dropped, preprocessMs - earlier.preprocessMs,
                    inferenceMs - earlier.inferenceMs, postprocessMs - earlier.postprocessMs);
        }

        /** Frames shown per second (for a reading made by {@link #since}). */
        public double shownPerSecond() {
            return nanos <= 0 ? Double.NaN : shown / (nanos / 1e9);
        }

        public double meanPreprocessMs() { return predicted == 0 ? Double.NaN : preprocessMs / predicted; }
        public double meanInferenceMs() { return predicted == 0 ? Double.NaN : inferenceMs / predicted; }
        public double meanPostprocessMs() { return predicted == 0 ? Double.NaN : postprocessMs / predicted; }
    }

    synchronized void predicted(Timings t) {
        predicted++;
        preprocessMs += t.preprocessMs();
        inferenceMs += t.inferenceMs();
        postprocessMs += t.postprocessMs();
    }

    synchronized void shown() {
        shown++;
    }

    synchronized Reading read(long dropped) {
        return new Reading(System.nanoTime(), predicted, shown, dropped, preprocessMs, inferenceMs, postprocessMs);
    }
}
