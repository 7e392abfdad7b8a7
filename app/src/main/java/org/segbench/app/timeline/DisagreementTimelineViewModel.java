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
import org.segbench.app.source.SourceFrame;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.LabelMap;
import org.segbench.engine.Prediction;
import java.util.HashMap;

/**
 * Where on the timeline the panes disagree: for every frame all open panes have predicted, the
 * share of pixels where they do not all give the same class (for two panes, simply where they
 * differ). Filled in as frames are seen (and by a folder evaluation), so playing a video without
 * ground truth draws the strip under the seek bar. Counting runs on the metrics executor; the
 * values belong to the FX thread. A new source or another set of panes starts it again.
 *
 * <p>Panes of very different speed run different frames: a slow model takes the newest frame when
 * it is free, long after the fast ones ran it, and their short frame history has moved on. So the
 * timeline keeps its own history of every pane's labels, thinned to every {@value #STEP}th pixel of
 * every {@value #STEP}th row (1/16 of the memory: 27 KB for a 768x576 frame, {@value #HISTORY}
 * frames a pane), and counts on that when the panes' full predictions are gone. Where they are not,
 * the count is exact.
 */
public final class DisagreementTimelineViewModel {
    private final Workspace ws;
    private final Executor metrics;
    private final ToLongFunction<String> indexOfKey;
    private final Map<String, FrameDisagreement> frames = new LinkedHashMap<>();
    private final IntegerProperty revision = new SimpleIntegerProperty();
    static final int STEP = 4;
    static final int HISTORY = 300;
    /** Per pane, thinned labels by frame key, newest last; metrics thread (and reset). */
    private final Map<Integer, LinkedHashMap<String, byte[]>> thinned = new HashMap<>();
    /** Bumped by reset: counts started before it belong to the old source or panes. */
    private volatile long generation;
    /** The source the player delivers now ({@code SourceFrame.sourceName()}); FX thread. */
    private String source;

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
        synchronized (thinned) { thinned.clear(); }
        frames.clear();
        revision.set(revision.get() + 1);
    }

    /** The player delivered a frame (FX thread): a frame of another source starts the strip again. */
    public void onSourceFrame(SourceFrame frame) {
        if (!frame.sourceName().equals(source)) {
            source = frame.sourceName();
            reset();
        }
    }

    /** A pane finished a frame (FX thread): if every pane now has it, count where they differ. */
    public void onPaneResult(PaneViewModel pane, PaneResult r) {
        // a slow pane may finish a frame of the source before: it is not on this timeline
        if (source != null && !source.equals(r.frame().sourceName())) return;
        List<PaneViewModel> all = List.copyOf(ws.panes());
        if (all.size() < 2 || !all.contains(pane)) return;
        long gen = generation;
        String key = r.frame().key();
        long index = r.frame().index();
        try {
            metrics.execute(() -> {
                if (gen != generation) return;
                byte[] mine = thin(r.prediction().labels());
                synchronized (thinned) {
                    LinkedHashMap<String, byte[]> history = thinned.computeIfAbsent(pane.id(), k -> new LinkedHashMap<>());
                    history.remove(key);
                    history.put(key, mine);
                    if (history.size() > HISTORY) history.remove(history.keySet().iterator().next());
                }
                double exact = exactShare(all, pane, r, key);
                double share = Double.isNaN(exact) ? thinnedShare(all, key) : exact;
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

    /** From the panes' own predictions; NaN when one of them no longer has this frame. */
    private static double exactShare(List<PaneViewModel> all, PaneViewModel pane, PaneResult r, String key) {
        List<LabelMap> maps = new ArrayList<>();
        for (PaneViewModel p : all) {
            Prediction q = p == pane ? r.prediction() : p.predictionFor(key);
            if (q == null) return Double.NaN;
            maps.add(q.labels());
        }
        return share(maps);
    }

    /** From the thinned history; NaN while a pane has not run this frame (its result will come here). */
    private double thinnedShare(List<PaneViewModel> all, String key) {
        List<LabelMap> maps = new ArrayList<>();
        synchronized (thinned) {
            for (PaneViewModel p : all) {
                LinkedHashMap<String, byte[]> history = thinned.get(p.id());
                byte[] labels = history == null ? null : history.get(key);
                if (labels == null) return Double.NaN;
                maps.add(new LabelMap(labels.length, 1, labels));
            }
        }
        return share(maps);
    }

    /** Every {@link #STEP}th pixel of every {@link #STEP}th row. */
    static byte[] thin(LabelMap m) {
        int w = (m.width() + STEP - 1) / STEP, h = (m.height() + STEP - 1) / STEP;
        byte[] out = new byte[w * h];
        byte[] in = m.labels();
        for (int y = 0, i = 0; y < h; y++) {
            int row = y * STEP * m.width();
            for (int x = 0; x < w; x++) out[i++] = in[row + x * STEP];
        }
        return out;
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
