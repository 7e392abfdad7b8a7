package org.segbench.app.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.BoundaryBand;
import org.segbench.engine.metrics.ConfusionMatrix;

/**
 * Confusion matrices per pane and per frame, each with its boundary matrix (the pixels within
 * {@link #BOUNDARY_PX} of a ground-truth edge, docs/boundary-iou.md). Keeping one matrix per frame
 * (11x12 or 19x20 longs) means a frame seen twice (a knob change, a step back) replaces its counts
 * instead of counting twice; the table sums them, and the ranked frame list reads them one by one.
 * Thread-safe.
 */
public final class IouAccumulator {
    /** The band width the boundary column uses: the eval CLI's default. */
    public static final int BOUNDARY_PX = 3;

    private final Map<Integer, Map<String, FrameCounts>> perPane = new HashMap<>();
    /**
     * The band-restricted truth of the last few truths, by identity (a label map is a record of its
     * array): every pane is scored against the same truth of a frame (the reference pane's
     * prediction, the ground-truth index's cached map), and the band is most of the scoring's cost.
     * Each entry keeps a copy of the labels it was made from, so an array reused for other labels
     * is never answered with a stale band.
     */
    private final Map<LabelMap, Band> bands = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LabelMap, Band> e) { return size() > 8; }
    };

    private record Band(byte[] from, LabelMap restricted) { }

    /** One frame's region and boundary counts. */
    private record FrameCounts(ConfusionMatrix region, ConfusionMatrix boundary) { }

    /** Adds (or replaces) one frame of one pane. */
    public void put(int pane, String frameKey, LabelSet labels, LabelMap truth, LabelMap prediction)
            throws SegbenchException {
        // counted outside the lock: a folder evaluation and live scoring may add at once
        ConfusionMatrix m = ConfusionMatrix.of(labels);
        m.add(truth, prediction);
        ConfusionMatrix b = ConfusionMatrix.of(labels);
        b.add(band(truth), prediction);
        synchronized (this) {
            perPane.computeIfAbsent(pane, k -> new LinkedHashMap<>()).put(frameKey, new FrameCounts(m, b));
        }
    }

    /** The truth with the pixels outside its boundary band left out, computed once per truth map. */
    private LabelMap band(LabelMap truth) {
        Band known;
        synchronized (bands) { known = bands.get(truth); }
        if (known != null && Arrays.equals(known.from(), truth.labels())) return known.restricted();
        LabelMap restricted = BoundaryBand.restrict(truth, BoundaryBand.of(truth, BOUNDARY_PX));
        synchronized (bands) { bands.put(truth, new Band(truth.labels().clone(), restricted)); }
        return restricted;
    }

    /** The sum over every frame of a pane, or null when it has none. */
    public synchronized ConfusionMatrix total(int pane, LabelSet labels) {
        return sum(pane, labels, false);
    }

    /** The boundary matrices' sum over every frame of a pane, or null when it has none. */
    public synchronized ConfusionMatrix boundaryTotal(int pane, LabelSet labels) {
        return sum(pane, labels, true);
    }

    /** Each frame's own (region) matrix, by frame key, in the order they were first scored. */
    public synchronized Map<String, ConfusionMatrix> perFrame(int pane) {
        Map<String, ConfusionMatrix> out = new LinkedHashMap<>();
        Map<String, FrameCounts> frames = perPane.get(pane);
        if (frames != null) frames.forEach((k, v) -> out.put(k, v.region()));
        return out;
    }

    private ConfusionMatrix sum(int pane, LabelSet labels, boolean boundary) {
        Map<String, FrameCounts> frames = perPane.get(pane);
        if (frames == null || frames.isEmpty()) return null;
        ConfusionMatrix sum = ConfusionMatrix.of(labels);
        for (FrameCounts f : frames.values()) {
            ConfusionMatrix m = boundary ? f.boundary() : f.region();
            if (m.classes() == sum.classes()) sum.merge(m);
        }
        return sum;
    }

    public synchronized int frames(int pane) {
        Map<String, FrameCounts> frames = perPane.get(pane);
        return frames == null ? 0 : frames.size();
    }

    public synchronized void reset() { perPane.clear(); }

    public synchronized void reset(int pane) { perPane.remove(pane); }
}
