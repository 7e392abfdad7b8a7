package org.segbench.engine.render;

import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.OpenCv;
import org.segbench.engine.source.ImageFiles;

import java.util.stream.IntStream;

/**
 * Label maps to pictures, as {@code int[]} opaque ARGB (row-major, the layout of JavaFX's
 * {@code PixelFormat.getIntArgbInstance()}): the colour mask, the mask blended over the frame,
 * the error map against ground truth and the disagreement between two predictions. Hidden classes
 * are drawn as the frame (overlay) or black (mask). Rows are processed in parallel.
 */
public final class Colorizer {
    /** Error map colours: correct, wrong, ignored. */
    public static final int CORRECT = 0xFF2E7D32;
    public static final int WRONG = 0xFFD32F2F;
    public static final int IGNORED = 0xFF303030;
    /** Disagreement colours: same class, different class. */
    public static final int AGREE = 0xFF202020;
    public static final int DISAGREE = 0xFFFFC107;

    private final LabelSet labels;
    private final int[] argb = new int[256];
    private final boolean[] hidden = new boolean[256];

    public Colorizer(LabelSet labels) {
        this.labels = labels;
        int[] palette = labels.palette();
        for (int i = 0; i < 256; i++) {
            // labels outside the palette (void, out-of-range) draw black
            argb[i] = 0xFF000000 | (i < palette.length ? palette[i] : 0);
        }
    }

    public LabelSet labels() {
        return labels;
    }

    /** Hides or shows a class in masks and overlays. */
    public void setHidden(int classId, boolean hide) {
        hidden[classId] = hide;
    }

    public boolean isHidden(int classId) {
        return hidden[classId];
    }

    /** The colour mask. */
    public int[] mask(LabelMap map) {
        byte[] l = map.labels();
        int[] out = new int[l.length];
        int w = map.width();
        IntStream.range(0, map.height()).parallel().forEach(y -> {
            for (int i = y * w, end = i + w; i < end; i++) {
                int c = l[i] & 0xFF;
                out[i] = hidden[c] ? 0xFF000000 : argb[c];
            }
        });
        return out;
    }

    /**
     * The mask blended over the frame: {@code alpha * class colour + (1 - alpha) * frame}.
     *
     * @param bgr   8-bit BGR frame of the map's size
     * @param alpha 0 = frame only, 1 = mask only
     */
    public int[] overlay(Mat bgr, LabelMap map, double alpha) {
        OpenCv.load();
        if (bgr.cols() != map.width() || bgr.rows() != map.height()) {
            throw new IllegalArgumentException("frame " + bgr.cols() + "x" + bgr.rows() + " vs labels "
                    + map.width() + "x" + map.height());
        }
        int[] frame = ImageFiles.bgrToArgb(bgr);
        byte[] l = map.labels();
        int a = (int) Math.round(Math.max(0, Math.min(1, alpha)) * 256);
        int w = map.width();
        IntStream.range(0, map.height()).parallel().forEach(y -> {
            for (int i = y * w, end = i + w; i < end; i++) {
                int c = l[i] & 0xFF;
                if (hidden[c]) {
                    continue;
                }
                frame[i] = blend(frame[i], argb[c], a);
            }
        });
        return frame;
    }

    /** Correct / wrong / ignored per pixel of a prediction against ground truth. */
    public static int[] errorMap(LabelMap groundTruth, LabelMap prediction, int ignoreLabel, int classes) {
        byte[] g = groundTruth.labels();
        byte[] p = prediction.labels();
        int[] out = new int[g.length];
        for (int i = 0; i < g.length; i++) {
            int gt = g[i] & 0xFF;
            out[i] = gt == ignoreLabel || gt >= classes ? IGNORED : gt == (p[i] & 0xFF) ? CORRECT : WRONG;
        }
        return out;
    }

    /** Where two predictions of the same size differ. */
    public static int[] disagreement(LabelMap a, LabelMap b) {
        byte[] x = a.labels();
        byte[] y = b.labels();
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] == y[i] ? AGREE : DISAGREE;
        }
        return out;
    }

    /** The colour mask as an 8-bit BGR Mat (for image files and video). */
    public Mat maskBgr(LabelMap map) {
        return ImageFiles.argbToBgr(mask(map), map.width(), map.height());
    }

    /** The overlay as an 8-bit BGR Mat. */
    public Mat overlayBgr(Mat bgr, LabelMap map, double alpha) {
        return ImageFiles.argbToBgr(overlay(bgr, map, alpha), map.width(), map.height());
    }

    private static int blend(int under, int over, int a256) {
        int inv = 256 - a256;
        int r = (((over >> 16) & 0xFF) * a256 + ((under >> 16) & 0xFF) * inv) >> 8;
        int g = (((over >> 8) & 0xFF) * a256 + ((under >> 8) & 0xFF) * inv) >> 8;
        int b = ((over & 0xFF) * a256 + (under & 0xFF) * inv) >> 8;
        return 0xFF000000 | r << 16 | g << 8 | b;
    }
}
