package org.segbench.bench;

import java.util.SplittableRandom;

/**
 * Synthetic inputs at Cityscapes' full resolution (1024x2048, 19 classes) for the benchmarks.
 * Logits are smooth blobs rather than noise so that label maps have regions and boundaries like
 * real predictions (a routine that is fast on noise can be slow on real scenes, and vice versa).
 */
final class Cityscapes {
    static final int H = 1024;
    static final int W = 2048;
    static final int CLASSES = 19;

    private Cityscapes() {
    }

    /** {@code classes x h x w} logits: each class a sum of a few wide bumps, plus a little noise. */
    static float[] logits(int classes, int h, int w, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] out = new float[classes * h * w];
        for (int c = 0; c < classes; c++) {
            double cy = rnd.nextDouble() * h;
            double cx = rnd.nextDouble() * w;
            double r = (0.15 + 0.3 * rnd.nextDouble()) * Math.max(h, w);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double d = ((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (r * r);
                    out[c * h * w + y * w + x] = (float) (4 * Math.exp(-d) + 0.05 * rnd.nextDouble());
                }
            }
        }
        return out;
    }

    /** A label map with region structure: the argmax of {@link #logits} at full size. */
    static byte[] labels(long seed) {
        float[] l = logits(CLASSES, H / 4, W / 4, seed);
        byte[] out = new byte[H * W];
        int plane = (H / 4) * (W / 4);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = (y / 4) * (W / 4) + x / 4;
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    if (l[c * plane + i] > l[best * plane + i]) {
                        best = c;
                    }
                }
                out[y * W + x] = (byte) best;
            }
        }
        return out;
    }
}
