package org.segbench.engine.frame;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The labels-only shortcut of {@link LogitsDecoder} (no scores) against its full per-class
 * interpolation (taken when scores are asked for), on smooth region-like logits with near-ties
 * planted, upsampling and downsampling.
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
}
