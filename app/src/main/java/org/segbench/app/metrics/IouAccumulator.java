package org.segbench.app.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.ConfusionMatrix;

/**
 * Confusion matrices per pane and per frame. Keeping one matrix per frame (11x12 or 19x20 longs)
 * means a frame seen twice (a knob change, a step back) replaces its counts instead of counting
 * twice; the table sums them. Thread-safe.
 */
public final class IouAccumulator {
    private final Map<Integer, Map<String, ConfusionMatrix>> perPane = new HashMap<>();

    /** Adds (or replaces) one frame of one pane. */
    public synchronized void put(int pane, String frameKey, LabelSet labels, LabelMap truth, LabelMap prediction)
            throws SegbenchException {
        ConfusionMatrix m = ConfusionMatrix.of(labels);
        m.add(truth, prediction);
        perPane.computeIfAbsent(pane, k -> new LinkedHashMap<>()).put(frameKey, m);
    }

    /** The sum over every frame of a pane, or null when it has none. */
    public synchronized ConfusionMatrix total(int pane, LabelSet labels) {
        Map<String, ConfusionMatrix> frames = perPane.get(pane);
        if (frames == null || frames.isEmpty()) return null;
        ConfusionMatrix sum = ConfusionMatrix.of(labels);
        for (ConfusionMatrix m : frames.values()) if (m.classes() == sum.classes()) sum.merge(m);
        return sum;
    }

    public synchronized int frames(int pane) {
        Map<String, ConfusionMatrix> frames = perPane.get(pane);
        return frames == null ? 0 : frames.size();
    }

    public synchronized void reset() { perPane.clear(); }

    public synchronized void reset(int pane) { perPane.remove(pane); }
}
