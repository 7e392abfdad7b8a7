package org.segbench.engine.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Frame timing two ways: the papers' protocol (drop {@code burnIn} frames, then the mean over the
 * rest: FPS = 1000 / mean latency) and a live moving average over the last {@code window} frames.
 * Not thread-safe.
 */
public final class FpsMeter {
    private final int burnIn;
    private final int window;
    private final List<Double> measured = new ArrayList<>();
    private final Deque<Double> recent = new ArrayDeque<>();
    private double recentSum;
    private long seen;

    /** @param burnIn frames not counted at the start; @param window frames in the live average */
    public FpsMeter(int burnIn, int window) {
        this.burnIn = burnIn;
        this.window = Math.max(1, window);
    }

    /** Records one frame's latency in milliseconds. */
    public void record(double ms) {
        seen++;
        if (seen > burnIn) {
            measured.add(ms);
        }
        recent.addLast(ms);
        recentSum += ms;
        if (recent.size() > window) {
            recentSum -= recent.removeFirst();
        }
    }

    /** Frames recorded, burn-in included. */
    public long frames() {
        return seen;
    }

    /** FPS over the frames after burn-in; NaN before any. */
    public double fps() {
        return stats().fps();
    }

    /** Moving-average FPS over the last {@code window} frames; NaN before any. */
    public double liveFps() {
        return recent.isEmpty() ? Double.NaN : 1000.0 * recent.size() / recentSum;
    }

    /** Mean, median, p90 and FPS of the frames after burn-in. */
    public LatencyStats stats() {
        return LatencyStats.of(measured.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public void reset() {
        measured.clear();
        recent.clear();
        recentSum = 0;
        seen = 0;
    }
}
