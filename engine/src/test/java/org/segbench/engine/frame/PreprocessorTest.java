package org.segbench.engine.frame;

import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.segbench.engine.OpenCv;
import org.segbench.engine.Size;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.*;

class PreprocessorTest {
    @Test
    void bgrBecomesNormalisedRgbPlanesInADirectBuffer() {
        OpenCv.load();
        Mat bgr = new Mat(2, 3, CvType.CV_8UC3, new Scalar(255, 0, 51)); // B=255, G=0, R=51
        Preprocessor p = new Preprocessor(new float[] {0.2f, 0.5f, 0.5f}, new float[] {0.5f, 0.25f, 0.5f});
        FloatBuffer b = p.apply(bgr, new Size(2, 3));
        assertTrue(b.isDirect());
        assertEquals(18, b.remaining());
        assertEquals((0.2f - 0.2f) / 0.5f, b.get(0), 1e-6);    // R plane
        assertEquals((0f - 0.5f) / 0.25f, b.get(6), 1e-6);     // G plane
        assertEquals((1f - 0.5f) / 0.5f, b.get(12), 1e-6);     // B plane
        FloatBuffer again = p.apply(bgr, new Size(2, 3));
        assertSame(b, again, "the buffer is reused while the size stays");
        FloatBuffer bigger = p.apply(bgr, new Size(4, 6));
        assertEquals(72, bigger.remaining());
        assertEquals(0f, bigger.get(23), 1e-6, "uniform image stays uniform after resize");
    }

    @Test
    void sizesRoundToMultiplesOf32() {
        assertEquals(new Size(352, 480), new Size(360, 480).roundedTo(32));
        assertEquals(new Size(1024, 2048), new Size(1024, 2048).roundedTo(32));
        assertEquals(new Size(32, 32), new Size(5, 7).roundedTo(32));
        assertEquals(new Size(360, 480), Size.parse("360x480"));
        assertThrows(IllegalArgumentException.class, () -> Size.parse("360-480"));
    }
}
