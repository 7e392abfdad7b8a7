package org.segbench.app.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;

import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.legend.LegendViewModel;
import org.segbench.app.pane.PaneResult;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.throttle.RefreshThrottle;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Prediction;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.ConfusionMatrix;
import java.util.function.ToDoubleFunction;
import java.util.Map;

/**
 * Live IoU scoring: every pane result is scored against the ground truth, or without one (or one
 * that does not fit the models' classes) against the reference pane, and the IoU table is rebuilt
 * (at most four times a second; the counts include every scored frame).
 * Scoring runs on the injected metrics executor; the table is filled on the FX executor.
 */
public final class IouScoringViewModel {
    private final Workspace ws;
    private final Executor metrics;
    private final IouAccumulator accumulator = new IouAccumulator();
    private final IouTableViewModel table = new IouTableViewModel();
    /** Ground-truth files already reported as unreadable or of the wrong size: each is reported once. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** The skip ablation's pair (gain 1, gain 0), for the delta column; null when there is none. */
    private volatile PaneViewModel[] ablation;
    private volatile boolean closed;
    /** Bumped on the FX thread each time the table is rebuilt: the counts may have changed. */
    private final IntegerProperty revision = new SimpleIntegerProperty();
    /**
     * Every result is scored, but the table (and the confusion matrix and frame ranking that follow
     * its revision) is refilled a few times a second: with four panes at video speed it would be
     * rebuilt a hundred times a second, on the FX thread, for numbers nobody can read that fast.
     */
    private final RefreshThrottle fill;

    /** @param metrics runs the scoring, off the FX thread */
    public IouScoringViewModel(Workspace ws, Executor metrics) {
        this.ws = ws;
        this.metrics = metrics;
        this.fill = new RefreshThrottle(ws.fx(), RefreshThrottle.DISPLAY, this::fillTable);
        ws.groundTruth().addListener((o, a, b) -> reset());
        ws.reference().addListener((o, a, b) -> reset());
    }

    public IouTableViewModel table() { return table; }

    /** Bumped (FX thread) whenever the accumulated counts have been shown anew. */
    public ReadOnlyIntegerProperty revisionProperty() { return revision; }

    /**
     * The classes a pane is scored in now (the ground truth's, or the reference pane's), or null
     * when it is not scored (no ground truth and no reference, classes that do not fit, or the pane
     * is the reference itself). FX thread.
     */
    public LabelSet scoringLabels(PaneViewModel pane) {
        GroundTruthIndex gt = scoringGroundTruth();
        PaneViewModel ref = ws.reference().get();
        LabelSet labels = gt != null ? gt.labelSet() : ref != null && ref != pane ? ref.labels() : null;
        return labels != null && labels.scoresModelWith(pane.labels().size()) ? labels : null;
    }

    /** The pane whose predictions are the truth now, or null when the ground truth is. FX thread. */
    public PaneViewModel truthPane() {
        return scoringGroundTruth() == null ? ws.reference().get() : null;
    }

    /** A pane's confusion matrix over the frames seen, or null when it has none. FX thread. */
    public ConfusionMatrix matrix(PaneViewModel pane) {
        LabelSet labels = scoringLabels(pane);
        return labels == null ? null : accumulator.total(pane.id(), labels);
    }

    /** Each scored frame's confusion matrix of a pane, by frame key. */
    public Map<String, ConfusionMatrix> frameMatrices(PaneViewModel pane) {
        return accumulator.perFrame(pane.id());
    }

    /** Shows column a minus column b (the skip ablation's gain 1 and 0). */
    public void setAblation(PaneViewModel a, PaneViewModel b) {
        ablation = new PaneViewModel[] {a, b};
        rebuildTable();
    }

    public boolean isAblationPane(PaneViewModel p) {
        PaneViewModel[] pair = ablation;
        return pair != null && (pair[0] == p || pair[1] == p);
    }

    /** True when IoU is measured against the reference pane (no ground truth, or none that fits). */
    public boolean referenceScoring() {
        return ws.reference().get() != null && scoringGroundTruth() == null;
    }

    public void reset() {
        accumulator.reset();
        rebuildTable();
    }

    /** A pane's counts start again (a knob changed, it runs at another size). */
    public void reset(PaneViewModel pane) {
        accumulator.reset(pane.id());
    }

    /** A removed pane: its counts and its place in the ablation go. */
    public void forget(PaneViewModel pane) {
        if (isAblationPane(pane)) ablation = null;
        accumulator.reset(pane.id());
        rebuildTable();
    }

    /** Adds (or replaces) one image of one pane, from any thread; the caller rebuilds the table. */
    public void record(PaneViewModel pane, String frameKey, LabelSet labels, LabelMap truth, LabelMap prediction)
            throws SegbenchException {
        accumulator.put(pane.id(), frameKey, labels, truth, prediction);
    }

    /** A pane finished a frame (FX thread): score it in the background. */
    public void onPaneResult(PaneViewModel pane, PaneResult r) {
        if (closed) return;
        GroundTruthIndex gt = scoringGroundTruth();
        PaneViewModel ref = ws.reference().get();
        if (gt == null && ref == null) return;
        List<PaneViewModel> all = List.copyOf(ws.panes());
        runMetrics(() -> {
            try {
                if (gt != null) {
                    scoreAgainstGroundTruth(gt, pane, r);
                } else if (pane == ref) {
                    // The reference moved on: score every other pane that has this frame too.
                    for (PaneViewModel p : all) {
                        Prediction q = p == ref ? null : p.predictionFor(r.frame().key());
                        if (q != null && ref.labels().scoresModelWith(p.labels().size())) {
                            accumulator.put(p.id(), r.frame().key(), ref.labels(), r.prediction().labels(), q.labels());
                        }
                    }
                } else {
                    Prediction truth = ref.predictionFor(r.frame().key());
                    if (truth != null && ref.labels().scoresModelWith(pane.labels().size())) {
                        accumulator.put(pane.id(), r.frame().key(), ref.labels(), truth.labels(), r.prediction().labels());
                    }
                }
            } catch (SegbenchException e) {
                ws.notifier().error(pane.name(), e.getMessage());
            }
            rebuildTable();
        });
    }

    private void runMetrics(Runnable r) {
        try {
            metrics.execute(r);
        } catch (RejectedExecutionException e) {
            // closing: late results from pane threads have nothing left to show them in
        }
    }

    /**
     * The ground truth, if at least one pane's classes fit it; otherwise scoring falls back to the
     * reference pane (e.g. a Cityscapes Fast-SCNN ablation on a CamVid frame).
     */
    private GroundTruthIndex scoringGroundTruth() {
        GroundTruthIndex gt = ws.groundTruth().get();
        if (gt == null) return null;
        if (ws.reference().get() == null) return gt;
        for (PaneViewModel p : ws.panes()) if (gt.labelSet().scoresModelWith(p.labels().size())) return gt;
        return null;
    }

    private void scoreAgainstGroundTruth(GroundTruthIndex gt, PaneViewModel pane, PaneResult r) throws SegbenchException {
        Optional<Path> file = gt.fileFor(r.frame());
        if (file.isEmpty()) return;
        String name = file.get().getFileName().toString();
        LabelMap truth;
        try {
            truth = gt.read(r.frame()).orElseThrow();
        } catch (SegbenchException e) {
            if (reported.add(file.get().toString())) ws.notifier().error(name, e.problem());
            return;
        }
        if (truth.width() != r.prediction().width() || truth.height() != r.prediction().height()) {
            if (reported.add(file.get() + " size")) {
                ws.notifier().error(name, "ground truth is " + truth.size() + " but the frame is " + r.prediction().labels().size());
            }
            return;
        }
        if (!gt.labelSet().scoresModelWith(pane.labels().size())) return; // shown in the caption
        accumulator.put(pane.id(), r.frame().key(), gt.labelSet(), truth, r.prediction().labels());
    }

    /**
     * Recomputes the table from the accumulated matrices, on the FX executor (call from any
     * thread): at once when it has not been refilled within the last quarter second, else at the
     * end of it, with the counts of then.
     */
    public void rebuildTable() {
        if (!closed) fill.request();
    }

    private void fillTable() {
        if (closed) return;
        List<PaneViewModel> all = new ArrayList<>(ws.panes());
        GroundTruthIndex gt = scoringGroundTruth();
        PaneViewModel ref = ws.reference().get();
        LabelSet labels;
        List<PaneViewModel> cols = new ArrayList<>();
        StringBuilder caption = new StringBuilder();
        if (gt != null) {
            labels = gt.labelSet();
            cols.addAll(all);
            caption.append("IoU % vs ground truth (").append(gt.describe()).append(")");
        } else if (ref != null) {
            labels = ref.labels();
            for (PaneViewModel p : all) if (p != ref) cols.add(p);
            caption.append(ws.groundTruth().get() == null ? "No ground truth: " : "Ground truth does not fit these models: ")
                    .append("IoU % against the reference pane ").append(ref.nameWithId());
        } else {
            table.set(List.of(), List.of(),
                    "No ground truth: attach a label folder or file (Numbers menu), or make a pane the reference.");
            revision.set(revision.get() + 1);
            return;
        }
        List<String> names = new ArrayList<>();
        List<ConfusionMatrix> totals = new ArrayList<>();
        List<ConfusionMatrix> bands = new ArrayList<>();
        long frames = 0;
        for (PaneViewModel p : cols) {
            names.add(uniqueName(p, all));
            boolean fits = labels.scoresModelWith(p.labels().size());
            ConfusionMatrix m = fits ? accumulator.total(p.id(), labels) : null;
            if (!fits) caption.append(" · ").append(p.name()).append(": ").append(p.labels().size())
                    .append(" classes do not fit ").append(labels.dataset());
            totals.add(m);
            bands.add(fits ? accumulator.boundaryTotal(p.id(), labels) : null);
            long seen = p.trainingImages().isEmpty() ? 0
                    : accumulator.perFrame(p.id()).keySet().stream().filter(p.trainingImages()::containsFrame).count();
            if (seen > 0) caption.append(" · ").append(p.nameWithId()).append(" was trained on ").append(seen)
                    .append(" of these frames (training figures)");
            if (m != null) frames = Math.max(frames, m.frames());
        }
        caption.append(" · ").append(frames).append(frames == 1 ? " frame" : " frames");
        List<IouRow> rows = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            int cls = c;
            rows.add(new IouRow(labels.name(c), LegendViewModel.color(labels.rgb(c)), each(totals, m -> m.iou(cls)),
                    each(bands, m -> m.iou(cls)), false));
        }
        rows.add(new IouRow("mIoU", null, each(totals, ConfusionMatrix::meanIou), each(bands, ConfusionMatrix::meanIou), true));
        rows.add(new IouRow("pixel acc.", null, each(totals, ConfusionMatrix::pixelAccuracy),
                each(bands, ConfusionMatrix::pixelAccuracy), true));
        PaneViewModel[] pair = ablation;
        int da = pair == null ? -1 : cols.indexOf(pair[0]);
        int db = pair == null ? -1 : cols.indexOf(pair[1]);
        table.set(names, rows, caption.toString(), da, db);
        revision.set(revision.get() + 1);
    }

    /** One value per column; NaN where a column has no matrix. */
    private static double[] each(List<ConfusionMatrix> matrices, ToDoubleFunction<ConfusionMatrix> f) {
        double[] v = new double[matrices.size()];
        for (int i = 0; i < v.length; i++) v[i] = matrices.get(i) == null ? Double.NaN : f.applyAsDouble(matrices.get(i));
        return v;
    }

    private static String uniqueName(PaneViewModel p, List<PaneViewModel> all) {
        long same = all.stream().filter(q -> q.name().equals(p.name())).count();
        return same > 1 ? p.nameWithId() : p.name();
    }

    /** Late results are dropped from now on. */
    public void close() { closed = true; }
}
