package org.segbench.app.pane;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.render.RenderOptions;
import org.segbench.engine.render.ViewInput;
import org.segbench.engine.render.ViewMode;
import org.segbench.engine.render.ViewRenderer;

/**
 * The pane hands its pictures to Prism as pre-multiplied ARGB without converting them
 * ({@code ImageCanvas.setPixels}); that is right only while every pixel is opaque or all zero.
 */
class PanePicturePixelsTest {

    @Test
    void everyViewModeDrawsOpaqueOrFullyTransparentPixels() {
        int w = 64, h = 48, n = w * h;
        Random rnd = new Random(13);
        byte[] bgr = new byte[n * 3];
        rnd.nextBytes(bgr);
        LabelSet camvid = LabelSet.camvid();
        LabelMap prediction = labels(w, h, rnd), truth = labels(w, h, rnd), compared = labels(w, h, rnd);
        float[] confidence = new float[n];
        for (int i = 0; i < n; i++) confidence[i] = rnd.nextFloat();
        ViewInput in = new ViewInput(bgr, camvid, prediction, truth, compared, confidence);
        for (boolean transparent : new boolean[] {true, false}) {
            // hidden classes and labels outside the set: the pixels that may be left transparent
            RenderOptions options = new RenderOptions(0.55, Set.of(0, 3), transparent);
            for (ViewMode mode : ViewMode.values()) {
                int[] argb = ViewRenderer.render(mode, in, options);
                for (int i = 0; i < argb.length; i++) {
                    int a = argb[i] >>> 24;
                    assertTrue(a == 0xFF || argb[i] == 0, mode + (transparent ? " transparent" : " opaque")
                            + ": pixel " + i + " is " + Integer.toHexString(argb[i]));
                }
            }
        }
    }

    /** Labels 0-15: CamVid's 11 classes, the ignore index and some outside the set. */
    private static LabelMap labels(int w, int h, Random rnd) {
        byte[] l = new byte[w * h];
        for (int i = 0; i < l.length; i++) l[i] = (byte) rnd.nextInt(16);
        return new LabelMap(w, h, l);
    }
}
