package org.segbench.app.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import org.opencv.core.Mat;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.jobs.BackgroundJob;
import org.segbench.app.metrics.IouScoringViewModel;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.LabelMap;
import org.segbench.engine.Prediction;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.source.ImageFiles;

/**
 * "Evaluate whole folder": every pane's model over every image of a folder that has ground truth,
 * in the background, with progress and Cancel. Each image replaces its own counts in the IoU
 * scoring, so the table ends up as the folder's result. A bad image or label file is reported and
 * skipped; the rest are still counted.
 */
public final class FolderEvaluationViewModel {
    private static final int TABLE_EVERY = 5;

    private final Workspace ws;
    private final IouScoringViewModel scoring;
    private final Executor background;
    private final ObjectProperty<BackgroundJob> job = new SimpleObjectProperty<>();
    private volatile BiConsumer<String, List<LabelMap>> onPredictions = (image, predictions) -> { };
    /** Per pane of the running evaluation: how many of its images the pane's model was trained on. */
    private final Map<PaneViewModel, Integer> seenInTraining = new ConcurrentHashMap<>();

    /** @param background runs the evaluation, off the FX thread */
    public FolderEvaluationViewModel(Workspace ws, IouScoringViewModel scoring, Executor background) {
        this.ws = ws;
        this.scoring = scoring;
        this.background = background;
    }

    /**
     * Called (evaluation thread) with every image's predictions, one per pane, keyed as the IoU
     * scoring keys it: the disagreement timeline and the ranked frames use them.
     */
    public void setOnPredictions(BiConsumer<String, List<LabelMap>> listener) { this.onPredictions = listener; }

    /** The running evaluation, or null. */
    public ObjectProperty<BackgroundJob> jobProperty() { return job; }

    /**
     * Starts evaluating the folder of {@code source} (the folder itself, or an image's folder); null
     * with a warning when something needed is missing. Call on the FX thread.
     */
    public BackgroundJob evaluate(Path source, GroundTruthIndex gt, List<PaneViewModel> panes) {
        Path folder = source == null ? null : Files.isDirectory(source) ? source : source.getParent();
        if (gt == null || folder == null || gt.isSingleFile()) {
            ws.notifier().warn("Evaluate folder", gt == null ? "attach a ground-truth folder first"
                    : folder == null ? "open an image folder first" : "a single label file has only one image");
            return null;
        }
        if (panes.isEmpty()) {
            ws.notifier().warn("Evaluate folder", "add a model first");
            return null;
        }
        BackgroundJob running = job.get();
        if (running != null) running.cancel();
        BackgroundJob next = new BackgroundJob("Evaluating " + folder.getFileName(), ws.fx());
        List<PaneViewModel> all = List.copyOf(panes);
        job.set(next);
        background.execute(() -> {
            try {
                int done = run(next, folder, gt, all);
                ws.fx().execute(() -> finished(next, folder, done));
            } catch (SegbenchException | RuntimeException e) {
                ws.fx().execute(() -> {
                    if (job.get() == next) job.set(null);
                    ws.notifier().error("Evaluate " + folder.getFileName(), Notifier.describe(e));
                    next.fail(e);
                });
            }
        });
        return next;
    }

    private int run(BackgroundJob job, Path folder, GroundTruthIndex gt, List<PaneViewModel> panes) throws SegbenchException {
        List<Path> images = ImageFiles.listImages(folder).stream().filter(p -> gt.fileFor(p).isPresent()).toList();
        seenInTraining.clear();
        int done = 0;
        for (int i = 0; i < images.size() && !job.isCancelled(); i++) {
            Path img = images.get(i);
            job.update(img.getFileName().toString(), i, images.size());
            if (evaluateImage(job, img, gt, panes)) done++;
            job.update(img.getFileName().toString(), i + 1, images.size());
            if (done % TABLE_EVERY == 0) scoring.rebuildTable();
        }
        scoring.rebuildTable();
        return done;
    }

    /** False when the image or its labels cannot be read, or do not match. */
    private boolean evaluateImage(BackgroundJob job, Path img, GroundTruthIndex gt, List<PaneViewModel> panes)
            throws SegbenchException {
        Mat bgr;
        LabelMap truth;
        try {
            bgr = ImageFiles.readBgr(img);
            truth = gt.format().read(gt.fileFor(img).orElseThrow());
        } catch (SegbenchException e) {
            ws.notifier().error(e.file().map(f -> f.getFileName().toString()).orElse(img.getFileName().toString()), e.problem());
            return false;
        }
        List<LabelMap> predictions = new ArrayList<>();
        try {
            for (PaneViewModel p : panes) {
                if (job.isCancelled()) return false;
                if (!gt.labelSet().scoresModelWith(p.labels().size()) || p.isClosed()) continue;
                Prediction pr;
                try {
                    pr = p.predict(bgr);
                } catch (SegbenchException e) {
                    if (p.isClosed()) continue; // removed while we ran: skip it
                    ws.notifier().error(p.name() + " on " + img.getFileName(), e.problem());
                    continue;
                }
                if (pr.width() != truth.width() || pr.height() != truth.height()) {
                    ws.notifier().error(img.getFileName().toString(), "ground truth is " + truth.size()
                            + " but the image is " + pr.labels().size());
                    return false;
                }
                scoring.record(p, img.toString(), gt.labelSet(), truth, pr.labels());
                if (p.trainingImages().contains(img)) seenInTraining.merge(p, 1, Integer::sum);
                predictions.add(pr.labels());
            }
            if (predictions.size() == panes.size()) onPredictions.accept(img.toString(), predictions);
            return true;
        } finally {
            bgr.release();
        }
    }

    private void finished(BackgroundJob done, Path folder, int images) {
        if (job.get() == done) job.set(null);
        if (done.isCancelled()) {
            ws.status().accept("Evaluation cancelled");
        } else {
            ws.notifier().info("Evaluation finished", images + " images of " + folder.getFileName());
            // Figures on images a model learnt from are training figures: say so beside the table.
            seenInTraining.forEach((pane, n) -> ws.notifier().warn("Trained on these images", pane.nameWithId()
                    + " was trained on " + n + " of the " + images + " images: its scores here are training"
                    + " figures, not validation ones"));
        }
        done.finish(images);
    }

    /** Stops a running evaluation after its current image. */
    public void cancel() {
        BackgroundJob running = job.get();
        if (running != null) running.cancel();
    }
}
