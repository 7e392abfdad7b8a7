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
    void nhwcBgrInterleavesInTheNetworksOrder() {
        OpenCv.load();
        Mat bgr = new Mat(2, 3, CvType.CV_8UC3, new Scalar(255, 0, 51)); // B=255, G=0, R=51
        float[] mean = {0.2f, 0.5f, 0.5f}; // R, G, B whatever order the network takes
        float[] std = {0.5f, 0.25f, 0.5f};
        float r = (0.2f - 0.2f) / 0.5f;
        float g = (0f - 0.5f) / 0.25f;
        float b = (1f - 0.5f) / 0.5f;
        FloatBuffer bgrNhwc = new Preprocessor(mean, std, TensorLayout.NHWC, ChannelOrder.BGR, 3).apply(bgr, new Size(2, 3));
        assertEquals(18, bgrNhwc.remaining());
        for (int pixel : new int[] {0, 5}) {
            assertEquals(b, bgrNhwc.get(pixel * 3), 1e-6);
            assertEquals(g, bgrNhwc.get(pixel * 3 + 1), 1e-6);
            assertEquals(r, bgrNhwc.get(pixel * 3 + 2), 1e-6);
        }
        FloatBuffer rgbNhwc = new Preprocessor(mean, std, TensorLayout.NHWC, ChannelOrder.RGB, 3).apply(bgr, new Size(2, 3));
        assertEquals(r, rgbNhwc.get(3), 1e-6);
        assertEquals(b, rgbNhwc.get(5), 1e-6);
        FloatBuffer bgrNchw = new Preprocessor(mean, std, TensorLayout.NCHW, ChannelOrder.BGR, 3).apply(bgr, new Size(2, 3));
        assertEquals(b, bgrNchw.get(1), 1e-6);   // first plane blue
        assertEquals(g, bgrNchw.get(7), 1e-6);
        assertEquals(r, bgrNchw.get(13), 1e-6);  // last plane red
    }

    @Test
    void oneChannelInputGetsTheGreyLevel() {
        OpenCv.load();
        Mat bgr = new Mat(2, 2, CvType.CV_8UC3, new Scalar(10, 200, 90));
        FloatBuffer grey = new Preprocessor(new float[] {0, 0, 0}, new float[] {1, 1, 1}, TensorLayout.NCHW,
                ChannelOrder.RGB, 1).apply(bgr, new Size(2, 2));
        assertEquals(4, grey.remaining());
        // OpenCV's luma weights 0.299 R + 0.587 G + 0.114 B, rounded to a byte
        int luma = Math.round(0.299f * 90 + 0.587f * 200 + 0.114f * 10);
        assertEquals(luma / 255f, grey.get(3), 1.5f / 255f);
        assertThrows(IllegalArgumentException.class, () -> new Preprocessor(new float[] {0, 0, 0},
                new float[] {1, 1, 1}, TensorLayout.NCHW, ChannelOrder.RGB, 4));
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
