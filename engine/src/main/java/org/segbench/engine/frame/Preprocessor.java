package org.segbench.engine.frame;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import org.segbench.engine.OpenCv;
import org.segbench.engine.Size;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Frame to network input: resize (bilinear), BGR -> RGB, {@code (x/255 - mean)/std}, NCHW, into a
 * direct buffer that is reused while the size stays the same. Not thread-safe: one per model or
 * pipeline stage.
 */
public final class Preprocessor {
    private final float[][] lut = new float[3][256];
    private final Mat resized = new Mat();
    private byte[] pixels = new byte[0];
    private FloatBuffer buffer = FloatBuffer.allocate(0);

    /** @param mean RGB means, 0..1 scale; @param std RGB standard deviations */
    public Preprocessor(float[] mean, float[] std) {
        OpenCv.load();
        // one table lookup per byte instead of a divide per pixel and channel
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    /**
     * Fills and returns the reused buffer ({@code 1 x 3 x H x W} floats, position 0). The buffer is
     * overwritten by the next call.
     *
     * @param bgr    8-bit 3-channel BGR frame
     * @param target network input size
     */
    public FloatBuffer apply(Mat bgr, Size target) {
        if (bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected an 8-bit BGR image, got Mat type " + CvType.typeToString(bgr.type()));
        }
        Mat src = bgr;
        if (bgr.rows() != target.height() || bgr.cols() != target.width()) {
            // OpenCV's own Size (width, height), whose name the engine's Size takes here
            Imgproc.resize(bgr, resized, new org.opencv.core.Size(target.width(), target.height()), 0, 0,
                    Imgproc.INTER_LINEAR);
            src = resized;
        }
        int h = target.height();
        int w = target.width();
        int plane = h * w;
        if (pixels.length != plane * 3) {
            pixels = new byte[plane * 3];
            buffer = ByteBuffer.allocateDirect(plane * 3 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        // a ROI view is not continuous; Mat.get needs one block
        if (src.isContinuous()) {
            src.get(0, 0, pixels);
        } else {
            Mat copy = src.clone();
            copy.get(0, 0, pixels);
            copy.release();
        }
        byte[] px = pixels;
        FloatBuffer out = buffer;
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        // straight into the direct buffer (absolute puts, disjoint rows per task): no float[] in
        // between and no second pass to copy it over
        IntStream.range(0, h).parallel().forEach(y -> {
            int i = y * w;
            int end = i + w;
            for (int p = i * 3; i < end; i++, p += 3) {
                out.put(i, r[px[p + 2] & 0xFF]);
                out.put(plane + i, g[px[p + 1] & 0xFF]);
                out.put(2 * plane + i, b[px[p] & 0xFF]);
            }
        });
        buffer.clear();
        return buffer;
    }
}
