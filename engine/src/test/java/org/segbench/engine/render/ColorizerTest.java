package org.segbench.engine.render;

import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.OpenCv;

import static org.junit.jupiter.api.Assertions.*;

class ColorizerTest {
    private static final LabelMap MAP = new LabelMap(2, 2, new byte[] {0, 3, 8, 11});

    @Test
    void maskUsesThePaletteAndVoidIsBlack() {
        Colorizer c = new Colorizer(LabelSet.camvid());
        int[] argb = c.mask(MAP);
        assertEquals(0xFF808080, argb[0]); // sky 128,128,128
        assertEquals(0xFF804080, argb[1]); // road 128,64,128
        assertEquals(0xFF400080, argb[2]); // car 64,0,128
        assertEquals(0xFF000000, argb[3]); // void
        c.setHidden(3, true);
        assertEquals(0xFF000000, c.mask(MAP)[1]);
    }

    @Test
    void overlayBlendsWithAlpha() {
        OpenCv.load();
        Mat white = new Mat(2, 2, CvType.CV_8UC3, new Scalar(255, 255, 255));
        Colorizer c = new Colorizer(LabelSet.camvid());
        int[] half = c.overlay(white, MAP, 0.5);
        int r = (half[1] >> 16) & 0xFF;
        int g = (half[1] >> 8) & 0xFF;
        assertEquals((128 + 255) / 2.0, r, 1.5);
        assertEquals((64 + 255) / 2.0, g, 1.5);
        assertEquals(0xFFFFFFFF, c.overlay(white, MAP, 0)[1]);
        assertEquals(0xFF804080, c.overlay(white, MAP, 1)[1]);
        c.setHidden(3, true);
        assertEquals(0xFFFFFFFF, c.overlay(white, MAP, 0.5)[1], "hidden classes show the frame");
    }

    @Test
    void maskCanDrawHiddenClassesTransparent() {
        Colorizer c = new Colorizer(LabelSet.camvid());
        c.setHidden(3, true);
        assertEquals(0, c.mask(MAP, 0)[1]);
        assertEquals(0xFF808080, c.mask(MAP, 0)[0], "shown classes stay opaque");
    }

    @Test
    void legendHasARowPerClass() {
        Mat legend = Legend.render(LabelSet.cityscapes(), 100);
        assertTrue(legend.rows() >= 19 * 20);
        double[] swatch = legend.get(4 + 13 * 22 + 5, 15); // car 0,0,142 in BGR
        assertArrayEquals(new double[] {142, 0, 0}, swatch);
    }
}
