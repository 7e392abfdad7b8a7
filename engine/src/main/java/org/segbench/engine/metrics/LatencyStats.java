package org.segbench.engine.metrics;

import java.util.Arrays;

/** Summary of per-frame latencies in milliseconds; {@code fps} = 1000 / mean (the papers' FPS). */
public record LatencyStats(int frames, double meanMs, double medianMs, double p90Ms, double fps) {

    public static LatencyStats of(double[] ms) {
        if (ms.length == 0) {
            return new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(Double.NaN);
        return new LatencyStats(ms.length, mean, percentile(sorted, 50), percentile(sorted, 90), 1000.0 / mean);
    }

    /** Linear-interpolated percentile of sorted values. */
    static double percentile(double[] sorted, double pct) {
        double rank = pct / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
