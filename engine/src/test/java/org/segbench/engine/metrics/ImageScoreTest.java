package org.segbench.engine.metrics;

import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageScoreTest {
    private static final LabelSet TWO = new LabelSet("test", List.of("a", "b"), new int[]{0, 0xFFFFFF}, 9);

    @Test
    void oneImagesRowHasItsOwnIouAndAccuracy() throws Exception {
        LabelMap gt = new LabelMap(4, 1, new byte[]{0, 0, 1, 9});
        LabelMap pred = new LabelMap(4, 1, new byte[]{0, 1, 1, 0});
        ImageScore row = ImageScore.of("x.png", "m", TWO, gt, pred);
        assertEquals(0.5, row.classIou()[0], 1e-12);        // 1 TP, 1 FN
        assertEquals(0.5, row.classIou()[1], 1e-12);        // 1 TP, 1 FP
        assertEquals(0.5, row.meanIou(), 1e-12);
        assertEquals(2 / 3.0, row.pixelAccuracy(), 1e-12);  // the ignored pixel is not counted
        assertTrue(Double.isNaN(row.disagreement()));
    }

    @Test
    void disagreementIsTheShareOfDifferingPixels() {
        LabelMap a = new LabelMap(4, 1, new byte[]{0, 1, 2, 3});
        LabelMap b = new LabelMap(4, 1, new byte[]{0, 1, 0, 0});
        assertEquals(0.5, ImageScore.disagreement(a, b), 1e-12);
    }

    @Test
    void aClassAbsentFromBothHasNoIou() throws Exception {
        LabelMap zeros = new LabelMap(2, 1, new byte[]{0, 0});
        ImageScore row = ImageScore.of("x.png", "m", TWO, zeros, zeros);
        assertTrue(Double.isNaN(row.classIou()[1]));
        assertEquals(1.0, row.meanIou(), 1e-12);
    }
}
