package org.segbench.engine.metrics;

import java.util.Arrays;

import org.segbench.engine.LabelMap;

/**
 * The band of pixels within a given distance of a ground-truth class edge: the trimap band that
 * Boundary IoU (Cheng, Girshick, Dollar, Berg, Kirillov, CVPR 2021) and the older trimap IoU score
 * on, where a thin skip connection's detail shows and region IoU barely moves.
 *
 * <p>A pixel is an <em>edge</em> pixel when one of its 8 neighbours has another ground-truth label
 * (void included: in CamVid void outlines objects). The band is every pixel whose Chebyshev
 * distance to an edge pixel is at most {@code width}; so an edge between two classes gives a band
 * {@code 2 * (width + 1)} pixels across. Defined in docs/boundary-iou.md.
 */
public final class BoundaryBand {
    private BoundaryBand() {
    }

    /** Band membership per pixel, row-major, for {@code width >= 0} pixels. */
    public static boolean[] of(LabelMap groundTruth, int width) {
        if (width < 0) {
            throw new IllegalArgumentException("band width must be >= 0, got " + width);
        }
        int w = groundTruth.width();
        int h = groundTruth.height();
        byte[] labels = groundTruth.labels();
        boolean[] edge = new boolean[w * h];
        // Each pair of 8-neighbours compared once (right, down-left, down, down-right), both ends
        // marked when they differ: the same edges as asking every pixel about its 8 neighbours,
        // at under half the comparisons (the live IoU table scores every frame of every pane).
        for (int y = 0; y < h; y++) {
            int row = y * w;
            boolean last = y == h - 1;
            for (int x = 0; x < w; x++) {
                int i = row + x;
                byte own = labels[i];
                if (x + 1 < w && labels[i + 1] != own) {
                    edge[i] = true;
                    edge[i + 1] = true;
                }
                if (last) {
                    continue;
                }
                int below = i + w;
                if (labels[below] != own) {
                    edge[i] = true;
                    edge[below] = true;
                }
                if (x + 1 < w && labels[below + 1] != own) {
                    edge[i] = true;
                    edge[below + 1] = true;
                }
                if (x > 0 && labels[below - 1] != own) {
                    edge[i] = true;
                    edge[below - 1] = true;
                }
            }
        }
        // A square dilation is separable: rows first, then columns, each a running window.
        return dilateColumns(dilateRows(edge, w, h, width), w, h, width);
    }

    /**
     * The ground truth with every pixel outside the band set to {@code 255}, which a
     * {@link ConfusionMatrix} leaves out: accumulating it gives the boundary confusion matrix.
     */
    public static LabelMap restrict(LabelMap groundTruth, boolean[] band) {
        byte[] in = groundTruth.labels();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = band[i] ? in[i] : (byte) 255;
        }
        return new LabelMap(groundTruth.width(), groundTruth.height(), out);
    }

    private static boolean[] dilateRows(boolean[] in, int w, int h, int r) {
        boolean[] out = new boolean[in.length];
        for (int y = 0; y < h; y++) {
            int lastEdge = Integer.MIN_VALUE / 2;
            // forward pass: distance to the nearest edge on the left; backward: on the right
            for (int x = 0; x < w; x++) {
                if (in[y * w + x]) {
                    lastEdge = x;
                }
                out[y * w + x] = x - lastEdge <= r;
            }
            lastEdge = Integer.MAX_VALUE / 2;
            for (int x = w - 1; x >= 0; x--) {
                if (in[y * w + x]) {
                    lastEdge = x;
                }
                out[y * w + x] |= lastEdge - x <= r;
            }
        }
        return out;
    }

    /** As {@link #dilateRows} down the columns, walked row by row (memory order) with one running edge per column. */
    private static boolean[] dilateColumns(boolean[] in, int w, int h, int r) {
        boolean[] out = new boolean[in.length];
        int[] lastEdge = new int[w];
        Arrays.fill(lastEdge, Integer.MIN_VALUE / 2);
        for (int y = 0; y < h; y++) {
            for (int x = 0, i = y * w; x < w; x++, i++) {
                if (in[i]) {
                    lastEdge[x] = y;
                }
                out[i] = y - lastEdge[x] <= r;
            }
        }
        Arrays.fill(lastEdge, Integer.MAX_VALUE / 2);
        for (int y = h - 1; y >= 0; y--) {
            for (int x = 0, i = y * w; x < w; x++, i++) {
                if (in[i]) {
                    lastEdge[x] = y;
                }
                out[i] |= lastEdge[x] - y <= r;
            }
        }
        return out;
    }
}
