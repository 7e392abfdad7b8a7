package org.segbench.engine.metrics;

import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;

import java.util.Arrays;

/**
 * One image's scores for one model: its own confusion matrix's mean IoU, pixel accuracy and
 * per-class IoU (NaN for a class absent from both), and, when scored beside other models, the
 * share of pixels where this model and the first one disagree. The rows of
 * {@code segbench eval --per-image}; sorted by mean IoU they put the worst frames first.
 */
public record ImageScore(String image, String model, double meanIou, double pixelAccuracy, double[] classIou,
                         double disagreement) {
    public ImageScore {
        classIou = classIou.clone();
    }

    /** Scores {@code prediction} against {@code groundTruth}; disagreement NaN (none asked). */
    public static ImageScore of(String image, String model, LabelSet labels, LabelMap groundTruth,
                                LabelMap prediction) throws SegbenchException {
        ConfusionMatrix matrix = ConfusionMatrix.of(labels);
        matrix.add(groundTruth, prediction);
        double[] iou = new double[labels.size()];
        Arrays.setAll(iou, matrix::iou);
        return new ImageScore(image, model, matrix.meanIou(), matrix.pixelAccuracy(), iou, Double.NaN);
    }

    /** This row with the share of pixels where {@code a} and {@code b} differ. */
    public ImageScore withDisagreement(LabelMap a, LabelMap b) {
        return new ImageScore(image, model, meanIou, pixelAccuracy, classIou, disagreement(a, b));
    }

    /** Share of pixels whose labels differ; the maps must have the same size. */
    public static double disagreement(LabelMap a, LabelMap b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException(a.size() + " vs " + b.size());
        }
        byte[] x = a.labels();
        byte[] y = b.labels();
        long differ = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                differ++;
            }
        }
        return x.length == 0 ? Double.NaN : differ / (double) x.length;
    }

    @Override
    public double[] classIou() {
        return classIou.clone();
    }
}
