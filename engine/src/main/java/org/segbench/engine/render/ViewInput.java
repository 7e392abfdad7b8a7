package org.segbench.engine.render;

import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;

/**
 * What a view is drawn from: a frame, the prediction for it and, for the modes that compare, the
 * ground truth or a second prediction of the same frame (null when there is none).
 *
 * @param frameBgr    the frame's pixels as {@code Mat.get} gives them: B, G, R per pixel, row-major
 * @param labels      the classes of {@code prediction}
 * @param groundTruth for {@link ViewMode#ERROR}; same size as the prediction
 * @param compared    for {@link ViewMode#DISAGREEMENT}; same size as the prediction
 * @param confidence  for {@link ViewMode#CONFIDENCE}: the top-class probability per pixel,
 *                    row-major, one per prediction pixel (e.g. {@code ScoreMap.toArray()})
 */
public record ViewInput(byte[] frameBgr, LabelSet labels, LabelMap prediction, LabelMap groundTruth,
                        LabelMap compared, float[] confidence) {
    /** Without a confidence map. */
    public ViewInput(byte[] frameBgr, LabelSet labels, LabelMap prediction, LabelMap groundTruth, LabelMap compared) {
        this(frameBgr, labels, prediction, groundTruth, compared, null);
    }

    public ViewInput {
        int n = prediction.width() * prediction.height();
        if (frameBgr.length != n * 3) {
            throw new IllegalArgumentException("frame has " + frameBgr.length / 3 + " pixels, labels " + n);
        }
        sameSize("ground truth", groundTruth, prediction);
        sameSize("compared prediction", compared, prediction);
        if (confidence != null && confidence.length != n) {
            throw new IllegalArgumentException("confidence has " + confidence.length + " values, labels " + n);
        }
    }

    public int width() {
        return prediction.width();
    }

    public int height() {
        return prediction.height();
    }

    private static void sameSize(String what, LabelMap map, LabelMap prediction) {
        if (map != null && (map.width() != prediction.width() || map.height() != prediction.height())) {
            throw new IllegalArgumentException(what + " is " + map.size() + ", prediction " + prediction.size());
        }
    }
}
