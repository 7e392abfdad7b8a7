package org.segbench.engine.metrics;

import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The warning about ground truth that scores nothing: values outside the dataset's classes (most
 * likely the wrong files or the wrong {@code --dataset}), or no pixel of any class. One wording
 * for {@code segbench eval} and the Spark job, so their warning lists match.
 */
public final class LabelValueCheck {
    private LabelValueCheck() {
    }

    /**
     * @param countedPixels pixels of this frame the confusion matrix counted
     * @return the warning, if the frame's ground truth deserves one
     */
    public static Optional<String> warning(Path label, GroundTruthFormat format, LabelSet set, long countedPixels)
            throws SegbenchException {
        if (format == GroundTruthFormat.CAMVID) {
            byte[] values = format.read(label).labels();
            long outside = 0;
            int example = -1;
            for (byte b : values) {
                int v = b & 0xFF;
                if (v >= set.size() && v != set.ignoreIndex()) {
                    outside++;
                    example = v;
                }
            }
            if (outside > 0) {
                return Optional.of(String.format("%.1f%% of the pixels have values outside the %s classes 0..%d and"
                                + " its ignore label %d (e.g. %d): they are not scored", 100.0 * outside / values.length,
                        set.dataset(), set.size() - 1, set.ignoreIndex(), example));
            }
        }
        if (countedPixels == 0) {
            return Optional.of("no pixel is a " + set.dataset() + " class (all ignore or unknown): the frame adds"
                    + " nothing to the scores");
        }
        return Optional.empty();
    }
}
