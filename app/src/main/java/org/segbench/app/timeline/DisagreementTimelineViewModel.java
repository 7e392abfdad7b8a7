package org.segbench.app.timeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.ToLongFunction;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.ListChangeListener;

import org.segbench.app.pane.PaneResult;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.LabelMap;
import org.segbench.engine.Prediction;

/**
 * Where on the timeline the panes disagree: for every frame all open panes have predicted, the
 * share of pixels where they do not all give the same class (for two panes, simply where they
 * differ). Filled in as frames are seen (and by a folder evaluation), so playing a video without
 * ground truth draws the strip under the seek bar. Counting runs on the metrics executor; the
 * values belong to the FX thread. A new source or another set of panes starts it again.
 */
public final class DisagreementTimelineViewModel {
    private final Workspace ws;
    private final Executor metrics;
    private final ToLongFunction<String> indexOfKey;
    private final Map<String, FrameDisagreement> frames = new LinkedHashMap<>();
    private final IntegerProperty revision = new SimpleIntegerProperty();
    /** Bumped by reset: counts started before it belong to the old source or panes. */
    private volatile long generation;

    /**
     * @param metrics    counts the pixels, off the FX thread
     * @param indexOfKey the source's index of a frame key, -1 when unknown (for frames a folder
     *                   evaluation scored without playing them)
     */
    public DisagreementTimelineViewModel(Workspace ws, Executor metrics, ToLongFunction<String> indexOfKey) {
        this.ws = ws;
        this.metrics = metrics;
        this.indexOfKey = indexOfKey;
        ws.panes().addListener((ListChangeListener<PaneViewModel>) c -> reset());
    }

    /** Bumped on the FX thread whenever a frame is added or all are cleared. */
    public ReadOnlyIntegerProperty revisionProperty() { return revision; }

    /** The frames seen so far, in the order they were first seen. FX thread. */
    public List<FrameDisagreement> frames() { return new ArrayList<>(frames.values()); }

    /** A frame's share, if it was seen. FX thread. */
    public FrameDisagreement frame(String key) { return frames.get(key); }

    /** Forgets every frame (a new source, other panes). FX thread. */
    public void reset() {
        generation++;
        frames.clear();
        revision.set(revision.get() + 1);
    }

    /** A pane finished a frame (FX thread): if every pane now has it, count where they differ. */
    public void onPaneResult(PaneViewModel pane, PaneResult r) {
        List<PaneViewModel> all = List.copyOf(ws.panes());
        if (all.size() < 2 || !all.contains(pane)) return;
        long gen = generation;
        String key = r.frame().key();
        long index = r.frame().index();
        try {
            metrics.execute(() -> {
                List<LabelMap> maps = new ArrayList<>();
                for (PaneViewModel p : all) {
                    Prediction q = p == pane ? r.prediction() : p.predictionFor(key);
                    if (q == null) return; // a slower pane has not seen it (yet): its result will come here
                    maps.add(q.labels());
                }
                double share = share(maps);
                if (!Double.isNaN(share)) ws.fx().execute(() -> {
                    if (gen == generation) put(new FrameDisagreement(key, index, share));
                });
            });
        } catch (RejectedExecutionException closing) {
            // the workbench is closing
        }
    }

    /** A frame scored elsewhere (a folder evaluation), from any thread; its index is looked up. */
    public void record(String key, List<LabelMap> predictions) {
        double share = share(predictions);
        if (Double.isNaN(share)) return;
        long gen = generation;
        ws.fx().execute(() -> {
            if (gen == generation) put(new FrameDisagreement(key, indexOfKey.applyAsLong(key), share));
        });
    }

    private void put(FrameDisagreement f) {
        frames.put(f.key(), f);
        revision.set(revision.get() + 1);
    }

    /**
     * The share of pixels where the maps do not all agree; NaN for fewer than two maps or maps of
     * different sizes (panes at another resolution).
     */
    public static double share(List<LabelMap> maps) {
        if (maps.size() < 2) return Double.NaN;
        byte[][] all = new byte[maps.size()][];
        for (int k = 0; k < all.length; k++) all[k] = maps.get(k).labels();
        byte[] first = all[0];
        for (byte[] m : all) if (m.length != first.length) return Double.NaN;
        long differ = 0;
        for (int i = 0; i < first.length; i++) {
            for (int k = 1; k < all.length; k++) {
                if (all[k][i] != first[i]) {
                    differ++;
                    break;
                }
            }
        }
        return first.length == 0 ? Double.NaN : differ / (double) first.length;
    }
}
