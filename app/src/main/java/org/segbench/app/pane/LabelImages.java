package org.segbench.app.pane;

import java.util.Set;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;

/**
 * Label maps to ARGB pixels for the panes. Plain loops over int arrays: about a millisecond per
 * CamVid frame, cheap enough to redo when the user hides a class or switches view.
 */
public final class LabelImages {
    /** Error map colours: correct, wrong, ignored (ground truth says "don't care"). */
    public static final int CORRECT = 0xFF2E9E4F;
    public static final int WRONG = 0xFFE0303A;
    public static final int IGNORED = 0x00000000;
    /** Disagreement colours: the two panes agree / differ. */
    public static final int AGREE = 0x00000000;
    public static final int DIFFER = 0xFFFF2BD6;

    private LabelImages() { }

    /** Palette colours; hidden classes and out-of-palette labels (e.g. ignore) are transparent. */
    public static int[] mask(LabelMap labels, LabelSet set, Set<String> hiddenNames) {
        int n = set.size();
        int[] lut = new int[256];
        for (int c = 0; c < n; c++) {
            lut[c] = hiddenNames.contains(set.name(c)) ? 0 : 0xFF000000 | set.rgb(c);
        }
        byte[] l = labels.labels();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = lut[l[i] & 0xFF];
        return out;
    }

    /** Correct / wrong / ignored against ground truth of the same size. */
    public static int[] error(LabelMap pred, LabelMap gt, int ignoreIndex) {
        byte[] p = pred.labels(), g = gt.labels();
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int gv = g[i] & 0xFF;
            out[i] = gv == ignoreIndex ? IGNORED : (gv == (p[i] & 0xFF) ? CORRECT : WRONG);
        }
        return out;
    }

    /** Pixels where two predictions differ; both must be at the source resolution. */
    public static int[] disagreement(LabelMap a, LabelMap b) {
        byte[] x = a.labels(), y = b.labels();
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] == y[i] ? AGREE : DIFFER;
        return out;
    }

    /** Fraction of pixels where two label maps differ. */
    public static double disagreementFraction(LabelMap a, LabelMap b) {
        byte[] x = a.labels(), y = b.labels();
        long d = 0;
        for (int i = 0; i < x.length; i++) if (x[i] != y[i]) d++;
        return x.length == 0 ? 0 : d / (double) x.length;
    }

    /** Interleaved BGR bytes (OpenCV's order) to opaque ARGB. */
    public static int[] fromBgr(byte[] bgr, int width, int height) {
        int[] out = new int[width * height];
        for (int i = 0, j = 0; i < out.length; i++, j += 3) {
            out[i] = 0xFF000000 | (bgr[j + 2] & 0xFF) << 16 | (bgr[j + 1] & 0xFF) << 8 | (bgr[j] & 0xFF);
        }
        return out;
    }

    public static WritableImage toImage(int[] argb, int width, int height) {
        WritableImage img = new WritableImage(width, height);
        img.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
        return img;
    }
}
