package org.segbench.engine.pipeline;

import org.segbench.engine.metrics.LatencyStats;

import java.util.Arrays;

/**
 * Per-frame times of one stage: exact count and mean over every frame, and median / p90 over the
 * most recent {@value #WINDOW} frames, so that a soak of any length keeps a fixed memory footprint.
 * Written by the stage's thread, read by anyone.
 */
final class StageStats {
    static final int WINDOW = 4096;
    private final String name;
    private final double[] recent = new double[WINDOW];
    private long count;
    private double sumMs;

    StageStats(String name) {
        this.name = name;
    }

    synchronized void record(double ms) {
        recent[(int) (count % WINDOW)] = ms;
        count++;
        sumMs += ms;
    }

    String name() {
        return name;
    }

    /** Mean over all frames; median, p90 over the recent window; fps = 1000 / mean. */
    synchronized LatencyStats snapshot() {
        int n = (int) Math.min(count, WINDOW);
        if (n == 0) {
            return LatencyStats.of(new double[0]);
        }
        LatencyStats window = LatencyStats.of(Arrays.copyOf(recent, n));
        double mean = sumMs / count;
        return new LatencyStats((int) Math.min(count, Integer.MAX_VALUE), mean, window.medianMs(), window.p90Ms(),
                1000.0 / mean);
    }
}
