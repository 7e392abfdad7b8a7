package org.segbench.engine.metrics;

import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Arrays;

/**
 * One confusion matrix accumulated over all frames, as the Cityscapes benchmark does: rows are
 * ground truth, columns predictions; pixels whose ground truth is the ignore label (or any value
 * outside {@code 0..classes-1}) are not counted. IoU(c) = TP / (TP + FP + FN); a class with no
 * ground-truth and no predicted pixels has no IoU ({@code NaN}) and is left out of the mean.
 *
 * <p>Predictions outside {@code 0..classes-1} count as misses of the ground-truth class (FN) and
 * as nobody's false positive. Not thread-safe; {@link #add} parallelises internally.
 */
public final class ConfusionMatrix {
    private final int classes;
    private final int ignoreLabel;
    // counts[gt * (classes + 1) + pred]; the extra column holds out-of-range predictions
    private final long[] counts;
    private long frames;

    public ConfusionMatrix(int classes, int ignoreLabel) {
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("classes must be 1..256, got " + classes);
        }
        this.classes = classes;
        this.ignoreLabel = ignoreLabel;
        this.counts = new long[classes * (classes + 1)];
    }

    /** A matrix for a label set: its class count and ignore index. */
    public static ConfusionMatrix of(LabelSet labels) {
        return new ConfusionMatrix(labels.size(), labels.ignoreIndex());
    }

    /**
     * A matrix holding counts summed elsewhere (a distributed job's rows): {@code counts} is
     * {@code classes x (classes + 1)}, row-major in {@link #count}'s order, void column last.
     */
    public static ConfusionMatrix ofCounts(int classes, int ignoreLabel, long[] counts, long frames) {
        ConfusionMatrix m = new ConfusionMatrix(classes, ignoreLabel);
        if (counts.length != m.counts.length) {
            throw new IllegalArgumentException(counts.length + " counts for " + classes + " classes, expected "
                    + m.counts.length);
        }
        System.arraycopy(counts, 0, m.counts, 0, counts.length);
        m.frames = frames;
        return m;
    }

    public int classes() {
        return classes;
    }

    public int ignoreLabel() {
        return ignoreLabel;
    }

    /** Frames added so far. */
    public long frames() {
        return frames;
    }

    /**
     * Adds one frame.
     *
     * @throws SegbenchException when the sizes differ (no file: the caller knows which it is)
     */
    public void add(LabelMap groundTruth, LabelMap prediction) throws SegbenchException {
        if (groundTruth.width() != prediction.width() || groundTruth.height() != prediction.height()) {
            throw new SegbenchException("ground truth is " + groundTruth.size() + " but the prediction is "
                    + prediction.size());
        }
        add(groundTruth.labels(), prediction.labels());
    }

    /** Adds one frame given as two equally long arrays of unsigned byte labels. */
    public void add(byte[] groundTruth, byte[] prediction) {
        if (groundTruth.length != prediction.length) {
            throw new IllegalArgumentException(groundTruth.length + " ground-truth vs " + prediction.length
                    + " predicted pixels");
        }
        int n = groundTruth.length;
        int chunks = n < 1 << 16 ? 1 : Runtime.getRuntime().availableProcessors() * 2;
        // each chunk fills a private matrix: no contention, then one merge
        long[][] partial = new long[chunks][];
        IntStream.range(0, chunks).parallel().forEach(k -> {
            long[] local = new long[counts.length];
            int from = (int) ((long) n * k / chunks);
            int to = (int) ((long) n * (k + 1) / chunks);
            int stride = classes + 1;
            for (int i = from; i < to; i++) {
                int g = groundTruth[i] & 0xFF;
                if (g >= classes || g == ignoreLabel) {
                    continue;
                }
                int p = prediction[i] & 0xFF;
                local[g * stride + (p < classes ? p : classes)]++;
            }
            partial[k] = local;
        });
        for (long[] local : partial) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += local[i];
            }
        }
        frames++;
    }

    /** Adds another matrix's counts (same class count) to this one. */
    public void merge(ConfusionMatrix other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("cannot merge " + other.classes + " classes into " + classes);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        frames += other.frames;
    }

    public void reset() {
        Arrays.fill(counts, 0);
        frames = 0;
    }

    /** Pixels with ground truth {@code gt} predicted as {@code pred}. */
    public long count(int gt, int pred) {
        return counts[gt * (classes + 1) + pred];
    }

    /** Ground-truth pixels of class c (counted ones, i.e. not ignored). */
    public long groundTruthPixels(int c) {
        long s = 0;
        for (int p = 0; p <= classes; p++) {
            s += counts[c * (classes + 1) + p];
        }
        return s;
    }

    /** Pixels predicted as class c where the ground truth was counted. */
    public long predictedPixels(int c) {
        long s = 0;
        for (int g = 0; g < classes; g++) {
            s += count(g, c);
        }
        return s;
    }

    public long totalPixels() {
        long s = 0;
        for (long v : counts) {
            s += v;
        }
        return s;
    }

    /** TP / (TP + FP + FN), or NaN when the class is absent from both ground truth and prediction. */
    public double iou(int c) {
        long tp = count(c, c);
        long union = groundTruthPixels(c) + predictedPixels(c) - tp;
        return union == 0 ? Double.NaN : tp / (double) union;
    }

    /** Per-class accuracy (recall) TP / (TP + FN), NaN when the class has no ground truth. */
    public double accuracy(int c) {
        long gt = groundTruthPixels(c);
        return gt == 0 ? Double.NaN : count(c, c) / (double) gt;
    }

    /** Mean IoU over the classes that have one; NaN if none has. */
    public double meanIou() {
        return nanMean(IntStream.range(0, classes).mapToDouble(this::iou).toArray());
    }

    /** Mean of the per-class accuracies over classes with ground truth. */
    public double meanClassAccuracy() {
        return nanMean(IntStream.range(0, classes).mapToDouble(this::accuracy).toArray());
    }

    /** Correct pixels / counted pixels; NaN when nothing was counted. */
    public double pixelAccuracy() {
        long total = totalPixels();
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += count(c, c);
        }
        return total == 0 ? Double.NaN : correct / (double) total;
    }

    /** The scores with class names, ready to print or serialise. */
    public IouReport report(LabelSet labels) {
        List<ClassScore> scores = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            scores.add(new ClassScore(c, labels.name(c), iou(c), accuracy(c), groundTruthPixels(c)));
        }
        return new IouReport(scores, meanIou(), pixelAccuracy(), meanClassAccuracy(), frames);
    }

    private static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
