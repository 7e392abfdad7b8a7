package org.segbench.engine.metrics;

import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundaryBandTest {

    /** 10 wide, 4 high: class 0 in columns 0-4, class 1 in columns 5-9. */
    private static LabelMap halves() {
        byte[] labels = new byte[40];
        for (int y = 0; y < 4; y++) {
            for (int x = 5; x < 10; x++) {
                labels[y * 10 + x] = 1;
            }
        }
        return new LabelMap(10, 4, labels);
    }

    @Test
    void aStraightEdgeGivesABandTwoWidthsPlusTwoAcross() {
        boolean[] band = BoundaryBand.of(halves(), 2);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 10; x++) {
                assertEquals(x >= 2 && x <= 7, band[y * 10 + x], "x=" + x + " y=" + y);
            }
        }
    }

    @Test
    void widthZeroKeepsOnlyTheEdgePixels() {
        boolean[] band = BoundaryBand.of(halves(), 0);
        assertTrue(band[4] && band[5]);
        assertFalse(band[3] || band[6]);
    }

    @Test
    void aUniformMapHasNoBand() {
        boolean[] band = BoundaryBand.of(LabelMap.blank(8, 8), 3);
        for (boolean b : band) {
            assertFalse(b);
        }
    }

    @Test
    void aSinglePixelGrowsIntoASquare() {
        byte[] labels = new byte[81];
        labels[4 * 9 + 4] = 7;  // the centre of a 9x9 map
        boolean[] band = BoundaryBand.of(new LabelMap(9, 9, labels), 1);
        int count = 0;
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                boolean expected = Math.abs(x - 4) <= 2 && Math.abs(y - 4) <= 2;
                assertEquals(expected, band[y * 9 + x], "x=" + x + " y=" + y);
                count += band[y * 9 + x] ? 1 : 0;
            }
        }
        assertEquals(25, count);  // edge pixels: the 3x3 around the centre; dilated by 1: 5x5
    }

    @Test
    void boundaryIouScoresOnlyTheBand() throws Exception {
        LabelMap gt = halves();
        // The prediction moves the edge one column right: wrong only at column 5.
        byte[] pred = gt.labels().clone();
        for (int y = 0; y < 4; y++) {
            pred[y * 10 + 5] = 0;
        }
        LabelSet two = new LabelSet("test", java.util.List.of("a", "b"), new int[]{0, 0xFFFFFF}, 255);
        ConfusionMatrix region = ConfusionMatrix.of(two);
        region.add(gt, new LabelMap(10, 4, pred));
        ConfusionMatrix boundary = ConfusionMatrix.of(two);
        boundary.add(BoundaryBand.restrict(gt, BoundaryBand.of(gt, 1)), new LabelMap(10, 4, pred));
        // region: class 0 has 20 gt + 4 wrong = 20/24, class 1 16/20
        assertEquals((20 / 24.0 + 16 / 20.0) / 2, region.meanIou(), 1e-12);
        // band of width 1: columns 3-6, 8 px per class: class 0 8/12, class 1 4/8
        assertEquals((8 / 12.0 + 4 / 8.0) / 2, boundary.meanIou(), 1e-12);
        assertEquals(16, boundary.totalPixels());  // 4 columns x 4 rows
    }

    @Test
    void aNegativeWidthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BoundaryBand.of(halves(), -1));
    }

    @Test
    void restrictLeavesTheBandAndMarksTheRestIgnored() {
        LabelMap gt = halves();
        LabelMap restricted = BoundaryBand.restrict(gt, BoundaryBand.of(gt, 0));
        assertArrayEquals(new int[]{255, 0, 1, 255}, new int[]{restricted.at(3, 0), restricted.at(4, 0),
                restricted.at(5, 0), restricted.at(6, 0)});
    }

    /** Against the definition read literally: a pixel is in the band when some pixel within {@code width} has a differing 8-neighbour. */
    @Test
    void matchesTheDefinitionOnRandomMaps() {
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 40; round++) {
            int w = 1 + rnd.nextInt(30), h = 1 + rnd.nextInt(30), width = rnd.nextInt(4);
            int classes = 1 + rnd.nextInt(4);
            byte[] labels = new byte[w * h];
            // blobs, not noise: runs of one label so that some pixels are far from every edge
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i > 0 && rnd.nextInt(6) > 0 ? labels[i - 1] : (byte) rnd.nextInt(classes);
            }
            boolean[] band = BoundaryBand.of(new LabelMap(w, h, labels), width);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean expected = false;
                    for (int yy = Math.max(0, y - width); yy <= Math.min(h - 1, y + width) && !expected; yy++) {
                        for (int xx = Math.max(0, x - width); xx <= Math.min(w - 1, x + width) && !expected; xx++) {
                            expected = isEdge(labels, w, h, xx, yy);
                        }
                    }
                    assertEquals(expected, band[y * w + x], "round " + round + " (" + w + "x" + h + ", width " + width
                            + ") pixel " + x + "," + y);
                }
            }
        }
    }

    private static boolean isEdge(byte[] labels, int w, int h, int x, int y) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx, yy = y + dy;
                if (xx >= 0 && xx < w && yy >= 0 && yy < h && labels[yy * w + xx] != labels[y * w + x]) {
                    return true;
                }
            }
        }
        return false;
    }
}
