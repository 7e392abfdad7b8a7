package org.segbench.engine.metrics;

import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ConfusionMatrixTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void matchesAHandComputedMatrix() {
        // 3 classes, ignore 255. gt/pred pairs:
        // (0,0) x2, (0,1) x1, (1,1) x2, (1,2) x1, (2,2) x1, (2,0) x1, (255, 1) ignored
        ConfusionMatrix cm = new ConfusionMatrix(3, 255);
        cm.add(bytes(0, 0, 0, 1, 1, 1, 2, 2, 255), bytes(0, 0, 1, 1, 1, 2, 2, 0, 1));
        assertEquals(2, cm.count(0, 0));
        assertEquals(1, cm.count(0, 1));
        assertEquals(1, cm.count(2, 0));
        assertEquals(8, cm.totalPixels());
        // class 0: TP 2, FN 1, FP 1 -> 2/4 ; class 1: TP 2, FN 1, FP 1 -> 2/4 ; class 2: TP 1, FN 1, FP 1 -> 1/3
        assertEquals(0.5, cm.iou(0), 1e-12);
        assertEquals(0.5, cm.iou(1), 1e-12);
        assertEquals(1.0 / 3, cm.iou(2), 1e-12);
        assertEquals((0.5 + 0.5 + 1.0 / 3) / 3, cm.meanIou(), 1e-12);
        assertEquals(5.0 / 8, cm.pixelAccuracy(), 1e-12);
        assertEquals(2.0 / 3, cm.accuracy(0), 1e-12);
        assertEquals(0.5, cm.accuracy(2), 1e-12);
    }

    @Test
    void accumulatesOneMatrixOverFramesNotAMeanOfPerFrameScores() {
        ConfusionMatrix cm = new ConfusionMatrix(2, 255);
        // frame 1: 1 pixel of class 1, right. frame 2: 3 pixels of class 1, all predicted 0.
        cm.add(bytes(1), bytes(1));
        cm.add(bytes(1, 1, 1), bytes(0, 0, 0));
        // pooled: class 1 TP 1, FN 3 -> 0.25 (a per-frame mean would say (1 + 0) / 2 = 0.5)
        assertEquals(0.25, cm.iou(1), 1e-12);
        assertEquals(0.0, cm.iou(0), 1e-12);
        assertEquals(2, cm.frames());
    }

    @Test
    void ignoreLabelAndOutOfRangeGroundTruthAreNotCounted() {
        ConfusionMatrix cm = new ConfusionMatrix(11, 11); // CamVid: 11 = void
        cm.add(bytes(11, 11, 200, 3), bytes(3, 4, 3, 3));
        assertEquals(1, cm.totalPixels());
        assertEquals(1.0, cm.iou(3), 1e-12);
        assertEquals(1.0, cm.pixelAccuracy(), 1e-12);
        assertEquals(0, cm.predictedPixels(4), "predictions on void pixels are not false positives");
    }

    @Test
    void classesWithNoGroundTruthAndNoPredictionHaveNoIouAndStayOutOfTheMean() {
        ConfusionMatrix cm = new ConfusionMatrix(4, 255);
        cm.add(bytes(0, 0, 1, 1), bytes(0, 0, 1, 3));
        assertTrue(Double.isNaN(cm.iou(2)), "class 2 appears nowhere");
        assertEquals(0.0, cm.iou(3), 1e-12, "class 3 only predicted: IoU 0, counted");
        assertTrue(Double.isNaN(cm.accuracy(3)));
        assertEquals((1.0 + 0.5 + 0.0) / 3, cm.meanIou(), 1e-12);
        IouReport r = cm.report(LabelSet.generated(4));
        assertTrue(Double.isNaN(r.classes().get(2).iou()));
        assertEquals(cm.meanIou(), r.meanIou());
    }

    @Test
    void emptyMatrixHasNaNScores() {
        ConfusionMatrix cm = new ConfusionMatrix(3, 255);
        assertTrue(Double.isNaN(cm.meanIou()));
        assertTrue(Double.isNaN(cm.pixelAccuracy()));
    }

    @Test
    void predictionsOutsideTheClassRangeCountAsMissesOnly() {
        ConfusionMatrix cm = new ConfusionMatrix(2, 255);
        cm.add(bytes(0, 0), bytes(0, 7));
        assertEquals(0.5, cm.iou(0), 1e-12);
        assertEquals(0.5, cm.pixelAccuracy(), 1e-12);
        assertTrue(Double.isNaN(cm.iou(1)));
    }

    @Test
    void parallelUpdateOnALargeFrameEqualsASerialCount() {
        Random r = new Random(3);
        int n = 1024 * 2048;
        byte[] gt = new byte[n];
        byte[] pred = new byte[n];
        for (int i = 0; i < n; i++) {
            gt[i] = (byte) (r.nextInt(20) == 0 ? 255 : r.nextInt(19));
            pred[i] = (byte) r.nextInt(19);
        }
        ConfusionMatrix cm = new ConfusionMatrix(19, 255);
        cm.add(gt, pred);
        long[][] serial = new long[19][19];
        for (int i = 0; i < n; i++) {
            if ((gt[i] & 0xFF) != 255) {
                serial[gt[i]][pred[i]]++;
            }
        }
        for (int g = 0; g < 19; g++) {
            for (int p = 0; p < 19; p++) {
                assertEquals(serial[g][p], cm.count(g, p));
            }
        }
    }

    @Test
    void sizeMismatchIsAnError() {
        ConfusionMatrix cm = new ConfusionMatrix(2, 255);
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> cm.add(LabelMap.blank(4, 2), LabelMap.blank(2, 4)));
        assertTrue(e.getMessage().contains("2x4"), e.getMessage());
    }

    @Test
    void mergeAddsCounts() {
        ConfusionMatrix a = new ConfusionMatrix(2, 255);
        ConfusionMatrix b = new ConfusionMatrix(2, 255);
        a.add(bytes(1), bytes(1));
        b.add(bytes(1, 1, 1), bytes(0, 0, 0));
        a.merge(b);
        assertEquals(0.25, a.iou(1), 1e-12);
        a.reset();
        assertEquals(0, a.totalPixels());
    }
}
