package org.segbench.spark;

import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.GroundTruthFormat;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The CLI's warning about ground truth that scores nothing: values outside the dataset's classes
 * (most likely the wrong files or the wrong {@code --dataset}), or no pixel of any class. The
 * same wording as {@code segbench eval}, so the summaries' warning lists match.
 */
final class LabelChecks {
    private LabelChecks() {
    }

    static Optional<String> values(Path label, GroundTruthFormat format, LabelSet set, long countedPixels)
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
