package org.segbench.engine.pipeline;

import org.segbench.engine.metrics.LatencyStats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
    private double sumCpuMs;

    StageStats(String name) {
        this.name = name;
    }

    synchronized void record(double ms) {
        recent[(int) (count % WINDOW)] = ms;
        count++;
        sumMs += ms;
    }

    /** Records wall time and the stage thread's own CPU time for one frame. */
    synchronized void record(double ms, double cpuMs) {
        record(ms);
        sumCpuMs += cpuMs;
    }

    /** Mean CPU milliseconds per frame of the stage's thread (0 if only wall time was recorded). */
    synchronized double cpuMeanMs() {
        return count == 0 ? Double.NaN : sumCpuMs / count;
    }

    /** CPU time of the calling thread, nanoseconds (its parallel streams run on it: see StageThread). */
    static long threadCpuNanos() {
        return CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() : 0;
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

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
