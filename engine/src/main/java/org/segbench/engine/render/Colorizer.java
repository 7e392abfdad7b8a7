package org.segbench.engine.render;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.OpenCv;
import org.segbench.engine.source.ImageFiles;

import java.util.stream.IntStream;

/**
 * Label maps to pictures, as {@code int[]} ARGB (row-major, the layout of JavaFX's
 * {@code PixelFormat.getIntArgbInstance()}): the colour mask and the mask blended over the frame.
 * Hidden classes are drawn as the frame (overlay) or black (mask). Rows are processed in parallel.
 * {@link ViewRenderer} builds every view mode on these two.
 */
public final class Colorizer {
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

    /** The colour mask; hidden classes are black. */
    public int[] mask(LabelMap map) {
        return mask(map, 0xFF000000);
    }

    /** The colour mask with hidden classes in {@code hiddenArgb} (0: transparent). */
    public int[] mask(LabelMap map, int hiddenArgb) {
        byte[] l = map.labels();
        int[] out = new int[l.length];
        int w = map.width();
        IntStream.range(0, map.height()).parallel().forEach(y -> {
            for (int i = y * w, end = i + w; i < end; i++) {
                int c = l[i] & 0xFF;
                out[i] = hidden[c] ? hiddenArgb : argb[c];
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
        int[] out = new int[map.width() * map.height()];
        if (bgr.type() == CvType.CV_8UC3 && bgr.isContinuous()) {
            byte[] bytes = new byte[out.length * 3];
            bgr.get(0, 0, bytes);
            overlay(bytes, map, alpha, out);
        } else {
            // grey or ROI frames: convert first (rare; not on the per-frame video path)
            int[] frame = ImageFiles.bgrToArgb(bgr);
            byte[] bytes = new byte[out.length * 3];
            for (int i = 0, p = 0; i < frame.length; i++, p += 3) {
                bytes[p] = (byte) frame[i];
                bytes[p + 1] = (byte) (frame[i] >> 8);
                bytes[p + 2] = (byte) (frame[i] >> 16);
            }
            overlay(bytes, map, alpha, out);
        }
        return out;
    }

    /**
     * The overlay into caller-owned buffers, for a pipeline that reuses them frame after frame
     * (no per-frame allocation, and one pass from the frame's bytes instead of two).
     *
     * @param bgr   the frame's pixels as {@code Mat.get} gives them: B, G, R per pixel, row-major
     * @param alpha 0 = frame only, 1 = mask only
     * @param out   {@code width * height} ARGB values, overwritten
     */
    public void overlay(byte[] bgr, LabelMap map, double alpha, int[] out) {
        int n = map.width() * map.height();
        if (bgr.length < n * 3 || out.length < n) {
            throw new IllegalArgumentException("buffers too small for " + map.width() + "x" + map.height());
        }
        byte[] l = map.labels();
        int a = (int) Math.round(Math.max(0, Math.min(1, alpha)) * 256);
        int inv = 256 - a;
        // class colour times alpha, per channel, once per call rather than per pixel
        int[] ra = new int[256];
        int[] ga = new int[256];
        int[] ba = new int[256];
        for (int c = 0; c < 256; c++) {
            ra[c] = hidden[c] ? -1 : ((argb[c] >> 16) & 0xFF) * a;
            ga[c] = ((argb[c] >> 8) & 0xFF) * a;
            ba[c] = (argb[c] & 0xFF) * a;
        }
        int w = map.width();
        IntStream.range(0, map.height()).parallel().forEach(y -> {
            for (int i = y * w, end = i + w, p = i * 3; i < end; i++, p += 3) {
                int b = bgr[p] & 0xFF;
                int g = bgr[p + 1] & 0xFF;
                int r = bgr[p + 2] & 0xFF;
                int c = l[i] & 0xFF;
                int rc = ra[c];
                if (rc >= 0) {
                    r = (rc + r * inv) >> 8;
                    g = (ga[c] + g * inv) >> 8;
                    b = (ba[c] + b * inv) >> 8;
                }
                out[i] = 0xFF000000 | r << 16 | g << 8 | b;
            }
        });
    }

    /** The colour mask as an 8-bit BGR Mat (for image files and video). */
    public Mat maskBgr(LabelMap map) {
        return ImageFiles.argbToBgr(mask(map), map.width(), map.height());
    }

    /** The overlay as an 8-bit BGR Mat. */
    public Mat overlayBgr(Mat bgr, LabelMap map, double alpha) {
        return ImageFiles.argbToBgr(overlay(bgr, map, alpha), map.width(), map.height());
    }
}
