package org.segbench.engine.frame;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The labels-only shortcut of {@link LogitsDecoder} (no scores) against its full per-class
 * interpolation (taken when scores are asked for, and {@code decodeLabelsFull}): smooth
 * region-like logits with near-ties planted, logits on a coarse grid full of exact ties, and
 * extreme values; upsampling and downsampling, even and odd sizes. Real logits:
 * {@link ShortcutOnRealLogitsTest}.
 */
class LabelsOnlyDecodeTest {

    @Test
    void shortcutGivesTheSameLabelsAsFullInterpolation() {
        Random rnd = new Random(11);
        int[][] sizes = {{45, 60, 576, 768}, {90, 120, 360, 480}, {128, 256, 96, 150}, {33, 47, 33, 47}, {1, 5, 3, 9}};
        for (int[] s : sizes) {
            int h = s[0], w = s[1], outH = s[2], outW = s[3];
            for (int classes : new int[] {2, 11, 19}) {
                float[] logits = new float[classes * h * w];
                for (int c = 0; c < classes; c++) {
                    double cy = rnd.nextDouble() * h, cx = rnd.nextDouble() * w, r = 0.2 + rnd.nextDouble() * w;
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            double d = ((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (r * r);
                            logits[c * h * w + y * w + x] = (float) (3 * Math.exp(-d) + 0.01 * rnd.nextGaussian());
                        }
                    }
                }
                // exact and near ties between classes 0 and 1 here and there
                for (int i = 0; i < h * w; i += 7) {
                    logits[h * w + i] = logits[i] + (i % 2 == 0 ? 0f : Math.ulp(logits[i]));
                }
                byte[] fast = new byte[outH * outW];
                byte[] full = new byte[outH * outW];
                LogitsDecoder.decode(logits, 0, classes, h, w, outH, outW, fast, null);
                LogitsDecoder.decode(logits, 0, classes, h, w, outH, outW, full, new float[outH * outW]);
                assertArrayEquals(full, fast, classes + " classes " + h + "x" + w + " -> " + outH + "x" + outW);
            }
        }
    }

    /**
     * A class that leads at none of the four corners can still win inside the cell: it must stay
     * among the candidates of the full path, and one below every corner of another must not.
     */
    @Test
    void aClassTopAtNoCornerStillWinsBetweenThem() {
        int classes = 4, h = 2, w = 2;
        float[] logits = {
            10, 10, 0, 0,     // class 0 leads along the top row
            0, 0, 10, 10,     // class 1 along the bottom row
            6, 6, 6, 6,       // class 2 leads nowhere, but 6 > 5 in the middle
            -1, -1, -1, -1};  // class 3 is below class 2 everywhere: never a candidate
        byte[] fast = new byte[9 * 9];
        LogitsDecoder.decodeLabels(java.nio.FloatBuffer.wrap(logits), 0, classes, h, w, 9, 9, fast);
        assertEquals(2, fast[4 * 9 + 4], "the centre of the cell is class 2's");
        assertSameAsFull(logits, classes, h, w, 9, 9, "top at no corner");
        int[] out = new int[w * classes];
        float[] top = {10, 10, 0, 0, 6, 6, -1, -1};
        float[] bottom = {0, 0, 10, 10, 6, 6, -1, -1};
        int n = LogitsDecoder.candidates(top, bottom, classes, w, 0, 1, LogitsDecoder.safeLead(10), out);
        assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(out, n));
        bottom[6] = Float.NaN;
        n = LogitsDecoder.candidates(top, bottom, classes, w, 0, 1, LogitsDecoder.safeLead(10), out);
        assertArrayEquals(new int[] {0, 1, 2, 3}, java.util.Arrays.copyOf(out, n), "a NaN corner keeps its class");
    }

    /** Ties everywhere: logits are small integers, so classes often tie at a pixel and in the interpolation. */
    @Test
    void exactTiesGoWhereTheFullInterpolationPutsThem() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 300; trial++) {
            int classes = 2 + rnd.nextInt(trial % 10 == 0 ? 255 : 12);
            int h = 1 + rnd.nextInt(24);
            int w = 1 + rnd.nextInt(24);
            int outH = 1 + rnd.nextInt(64);
            int outW = 1 + rnd.nextInt(64);
            int levels = 2 + rnd.nextInt(4);
            float[] logits = new float[classes * h * w];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = rnd.nextInt(levels);
            }
            // and blocks where every pixel has the same scores: ties shared by all four neighbours
            int y0 = rnd.nextInt(h);
            int x0 = rnd.nextInt(w);
            for (int c = 0; c < classes; c++) {
                float v = c < 3 ? levels : 0;
                for (int y = y0; y < Math.min(h, y0 + 4); y++) {
                    for (int x = x0; x < Math.min(w, x0 + 4); x++) {
                        logits[c * h * w + y * w + x] = v;
                    }
                }
            }
            assertSameAsFull(logits, classes, h, w, outH, outW, "trial " + trial);
        }
    }

    /**
     * Huge logits beside small ones with thin leads, infinities and NaN: the shortcut's bound takes
     * the largest magnitude of the rows it uses, so it stays exact where a relative margin could not.
     */
    @Test
    void extremeValuesDecodeLikeTheFullInterpolation() {
        Random rnd = new Random(17);
        float[] specials = {1e30f, -1e30f, 3e5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.MIN_VALUE, -0f, Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int trial = 0; trial < 200; trial++) {
            int classes = 2 + rnd.nextInt(5);
            int h = 1 + rnd.nextInt(6);
            int w = 2 + rnd.nextInt(6);
            int outH = 1 + rnd.nextInt(40);
            int outW = 1 + rnd.nextInt(4000);
            float[] logits = new float[classes * h * w];
            for (int p = 0; p < h * w; p++) {
                // class 0 ahead everywhere by a hair, at very different magnitudes
                float base = rnd.nextBoolean() ? (float) rnd.nextGaussian() * 1e6f : (float) rnd.nextGaussian() * 1e-3f;
                for (int c = 0; c < classes; c++) {
                    logits[c * h * w + p] = base - c * Math.ulp(base) * (1 + rnd.nextInt(40));
                }
            }
            for (int k = rnd.nextInt(3); k > 0; k--) {
                logits[rnd.nextInt(logits.length)] = specials[rnd.nextInt(specials.length)];
            }
            assertSameAsFull(logits, classes, h, w, outH, outW, "trial " + trial);
        }
    }

    /**
     * Class 0 leads at both logits pixels by more than 1e38, but its interpolation overflows
     * (-1e38 - 3e38 is -infinity in float) and never wins in the full path: logits this large
     * must not take the shortcut.
     */
    @Test
    void logitsThatOverflowTheInterpolationTakeTheFullPath() {
        // 2 classes on a 1 x 2 grid: class 0 = (3e38, -1e38), class 1 = (-3e38, -3e38)
        float[] logits = {3e38f, -1e38f, -3e38f, -3e38f};
        byte[] full = new byte[8];
        LogitsDecoder.decodeLabelsFull(logits, 0, 2, 1, 2, 1, 8, full);
        assertEquals(1, full[3], "the full path's class 0 overflowed to -infinity there");
        assertSameAsFull(logits, 2, 1, 2, 1, 8, "overflow");
    }

    private static void assertSameAsFull(float[] logits, int classes, int h, int w, int outH, int outW, String what) {
        byte[] fast = new byte[outH * outW];
        byte[] full = new byte[outH * outW];
        LogitsDecoder.decodeLabels(FloatBuffer.wrap(logits), 0, classes, h, w, outH, outW, fast);
        LogitsDecoder.decodeLabelsFull(logits, 0, classes, h, w, outH, outW, full);
        assertArrayEquals(full, fast, what + ": " + classes + " classes " + h + "x" + w + " -> " + outH + "x" + outW);
    }
}
