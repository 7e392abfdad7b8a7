package org.segbench.engine.metrics;

import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Prediction;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Path;

/**
 * A model evaluated on image / ground-truth pairs: one confusion matrix over all of them, the
 * per-stage timings, and the count of pairs that were skipped. Use from a background thread;
 * not thread-safe.
 */
public final class Evaluation {
    private final SegmentationModel model;
    private final LabelSet dataset;
    private final ConfusionMatrix matrix;
    private final FpsMeter fps;
    private final FpsMeter preprocess;
    private final FpsMeter inference;
    private final FpsMeter postprocess;
    private int skipped;

    /**
     * @param dataset the ground truth's label set; the model's labels (its classes, or a class map's
     *                target) must be as many, or one more: a void class ({@link LabelSet#scoresModelWith})
     * @param burnIn  frames left out of the FPS figure (the papers' protocol)
     * @throws SegbenchException naming the model when its class count does not fit the dataset
     */
    public Evaluation(SegmentationModel model, LabelSet dataset, int burnIn) throws SegbenchException {
        if (!dataset.scoresModelWith(model.labels().size())) {
            throw new SegbenchException(model.path(), "model has " + model.labels().size() + " classes but "
                    + dataset.dataset() + " has " + dataset.size());
        }
        this.model = model;
        this.dataset = dataset;
        this.matrix = ConfusionMatrix.of(dataset);
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
                matrix.add(gt, p.labels());
                record(p);
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
                matrix.add(truth.labels(), p.labels());
                record(p);
                return p;
            } finally {
                bgr.release();
            }
        } catch (SegbenchException e) {
            skipped++;
            throw e;
        }
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

    /** End-to-end (preprocess + inference + postprocess) frames per second after burn-in. */
    public FpsMeter fps() {
        return fps;
    }

    /** Mean milliseconds per frame of each stage, after burn-in like {@link #fps()}. */
    public org.segbench.engine.Timings meanTimings() {
        return new org.segbench.engine.Timings(preprocess.stats().meanMs(), inference.stats().meanMs(),
                postprocess.stats().meanMs());
    }
}
