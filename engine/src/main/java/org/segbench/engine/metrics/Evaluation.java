package org.segbench.engine.metrics;

import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Prediction;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Timings;
import org.segbench.engine.TrainingImages;
import org.segbench.engine.Size;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model evaluated on image / ground-truth pairs: one confusion matrix over all of them, the
 * per-stage timings, and the count of pairs that were skipped. Use from a background thread;
 * not thread-safe.
 */
public final class Evaluation {
    private final SegmentationModel model;
    private final LabelSet dataset;
    private final ConfusionMatrix matrix;
    /** Scores on the band of pixels near ground-truth edges only (docs/boundary-iou.md). */
    private final ConfusionMatrix boundary;
    private int boundaryWidth = DEFAULT_BOUNDARY_PX;
    private final List<ImageScore> images = new ArrayList<>();
    private final FpsMeter fps;
    private final FpsMeter preprocess;
    private final FpsMeter inference;
    private final FpsMeter postprocess;
    private int skipped;
    /** The images the model declares it was trained on, and how many of them were scored here. */
    private final TrainingImages trainingImages;
    private int seenInTraining;

    /**
     * @param dataset the ground truth's label set; the model's labels (its classes, or a class map's
     *                target) must be as many, or one more: a void class ({@link LabelSet#scoresModelWith})
     * @param burnIn  frames left out of the FPS figure (the papers' protocol)
     * @throws SegbenchException naming the model when its class count does not fit the dataset
     */
    /** Default width of the boundary band, in pixels. */
    public static final int DEFAULT_BOUNDARY_PX = 3;

    public Evaluation(SegmentationModel model, LabelSet dataset, int burnIn) throws SegbenchException {
        if (!dataset.scoresModelWith(model.labels().size())) {
            throw new SegbenchException(model.path(), "model has " + model.labels().size() + " classes but "
                    + dataset.dataset() + " has " + dataset.size());
        }
        this.model = model;
        this.dataset = dataset;
        this.trainingImages = model.metadata().trainingImages();
        this.matrix = ConfusionMatrix.of(dataset);
        this.boundary = ConfusionMatrix.of(dataset);
        this.fps = new FpsMeter(burnIn, 30);
        this.preprocess = new FpsMeter(burnIn, 30);
        this.inference = new FpsMeter(burnIn, 30);
        this.postprocess = new FpsMeter(burnIn, 30);
    }

    /**
     * Predicts one image and adds it against its ground truth.
     *
     * @return the prediction (at the ground truth's size)
     * @throws SegbenchException naming the bad file (image, ground truth, or a size mismatch); the
     *                           pair is then counted as skipped and the evaluation can go on
     */
    public Prediction add(EvalPair pair, GroundTruthFormat format) throws SegbenchException {
        try {
            LabelMap gt = format.read(pair.label());
            Mat image = ImageFiles.readBgr(pair.image());
            try {
                if (image.rows() != gt.height() || image.cols() != gt.width()) {
                    throw new SegbenchException(pair.label(), "ground truth is " + gt.size() + " but the image is "
                            + new Size(image.rows(), image.cols()));
                }
                Prediction p = model.predict(image);
                score(pair.image(), gt, p);
                return p;
            } finally {
                image.release();
            }
        } catch (SegbenchException e) {
            skipped++;
            throw e;
        }
    }

    /**
     * Predicts one image with this evaluation's model and with a reference model, and adds the
     * pair with the reference's labels standing in for ground truth (no ground truth at hand).
     *
     * @return the evaluated model's prediction
     */
    public Prediction addAgainst(Path image, SegmentationModel reference) throws SegbenchException {
        try {
            Mat bgr = ImageFiles.readBgr(image);
            try {
                Prediction truth = reference.predict(bgr);
                Prediction p = model.predict(bgr);
                score(image, truth.labels(), p);
                return p;
            } finally {
                bgr.release();
            }
        } catch (SegbenchException e) {
            skipped++;
            throw e;
        }
    }

    /** Adds one frame to the region and boundary matrices, the per-image rows and the timings. */
    private void score(Path image, LabelMap truth, Prediction p) throws SegbenchException {
        matrix.add(truth, p.labels());
        boundary.add(BoundaryBand.restrict(truth, BoundaryBand.of(truth, boundaryWidth)), p.labels());
        images.add(ImageScore.of(image.toString(), model.name(), dataset, truth, p.labels()));
        if (trainingImages.contains(image)) {
            seenInTraining++;
        }
        record(p);
    }

    private void record(Prediction p) {
        preprocess.record(p.timings().preprocessMs());
        inference.record(p.timings().inferenceMs());
        postprocess.record(p.timings().postprocessMs());
        fps.record(p.timings().totalMs());
    }

    public ConfusionMatrix matrix() {
        return matrix;
    }

    /** The confusion matrix of the pixels within {@link #boundaryWidth()} of a ground-truth edge. */
    public ConfusionMatrix boundaryMatrix() {
        return boundary;
    }

    public int boundaryWidth() {
        return boundaryWidth;
    }

    /** Sets the boundary band's width in pixels (default 3) for the frames added from now on. */
    public Evaluation withBoundaryWidth(int pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("boundary width must be >= 0, got " + pixels);
        }
        this.boundaryWidth = pixels;
        return this;
    }

    /** One row per evaluated image, in the order added. */
    public List<ImageScore> imageScores() {
        return List.copyOf(images);
    }

    /** Replaces the last image's row (used to attach a disagreement share). */
    public void replaceLastImageScore(ImageScore row) {
        images.set(images.size() - 1, row);
    }

    public IouReport report() {
        return matrix.report(dataset);
    }

    public LabelSet dataset() {
        return dataset;
    }

    /** Frames evaluated (not skipped). */
    public long frames() {
        return matrix.frames();
    }

    public int skipped() {
        return skipped;
    }

    /**
     * Frames scored here that the model was trained on (its metadata's {@code training_images}): when
     * above zero, the figures are partly training figures, and whoever shows them must say so.
     */
    public int seenInTraining() {
        return seenInTraining;
    }

    /** End-to-end (preprocess + inference + postprocess) frames per second after burn-in. */
    public FpsMeter fps() {
        return fps;
    }

    /** Mean milliseconds per frame of each stage, after burn-in like {@link #fps()}. */
    public Timings meanTimings() {
        return new Timings(preprocess.stats().meanMs(), inference.stats().meanMs(),
                postprocess.stats().meanMs());
    }
}
