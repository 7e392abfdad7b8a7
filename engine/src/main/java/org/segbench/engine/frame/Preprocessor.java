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
 * Frame to network input: resize (bilinear), the channel order the network wants (RGB unless it
 * wants BGR; grey for a one-channel input), {@code (x/255 - mean)/std}, in the network's layout
 * (NCHW or NHWC), into a direct buffer that is reused while the size stays the same. Not
 * thread-safe: one per model or pipeline stage.
 */
public final class Preprocessor {
    private final float[][] lut = new float[3][256];
    private final TensorLayout layout;
    private final ChannelOrder order;
    private final int channels;
    private final Mat resized = new Mat();
    private final Mat grey = new Mat();
    private byte[] pixels = new byte[0];
    private FloatBuffer buffer = FloatBuffer.allocate(0);

    /** NCHW, RGB, three channels: what the zoo exports. */
    public Preprocessor(float[] mean, float[] std) {
        this(mean, std, TensorLayout.NCHW, ChannelOrder.RGB, 3);
    }

    /**
     * @param mean     means on the 0..1 scale, in R, G, B order whatever order the network takes
     *                 (a one-channel network uses the first)
     * @param std      standard deviations, likewise
     * @param layout   where the network wants the channels
     * @param order    the order it wants them in
     * @param channels 3, or 1 for a grey input
     */
    public Preprocessor(float[] mean, float[] std, TensorLayout layout, ChannelOrder order, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("an image input has 1 or 3 channels, not " + channels);
        }
        OpenCv.load();
        this.layout = layout;
        this.order = order;
        this.channels = channels;
        // one table lookup per byte instead of a divide per pixel and channel
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    /** Channels per pixel of the buffer {@link #apply} fills. */
    public int channels() {
        return channels;
    }

    /**
     * Fills and returns the reused buffer ({@code channels x H x W} floats in the layout, position
     * 0). The buffer is overwritten by the next call.
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
        if (channels == 1) {
            Imgproc.cvtColor(src, grey, Imgproc.COLOR_BGR2GRAY);
            src = grey;
        }
        int h = target.height();
        int w = target.width();
        int plane = h * w;
        int values = Math.multiplyExact(plane, channels);
        if (pixels.length != values) {
            pixels = new byte[values];
            buffer = ByteBuffer.allocateDirect(Math.multiplyExact(values, Float.BYTES)).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        // a ROI view is not continuous; Mat.get needs one block
        if (src.isContinuous()) {
            src.get(0, 0, pixels);
        } else {
            Mat copy = src.clone();
            copy.get(0, 0, pixels);
            copy.release();
        }
        if (channels == 1) {
            fillGrey(pixels, buffer, plane);
        } else if (layout == TensorLayout.NCHW) {
            fillPlanar(pixels, buffer, h, w);
        } else {
            fillInterleaved(pixels, buffer, h, w);
        }
        buffer.clear();
        return buffer;
    }

    // Each fill writes straight into the direct buffer (absolute puts, disjoint rows per task): no
    // float[] in between and no second pass to copy it over. Frames are BGR: byte p + 2 is red.

    private void fillPlanar(byte[] px, FloatBuffer out, int h, int w) {
        int plane = h * w;
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        // plane offsets of red and blue: the network's first plane is red for RGB, blue for BGR
        int redAt = order == ChannelOrder.RGB ? 0 : 2 * plane;
        int blueAt = order == ChannelOrder.RGB ? 2 * plane : 0;
        IntStream.range(0, h).parallel().forEach(y -> {
            int i = y * w;
            int end = i + w;
            for (int p = i * 3; i < end; i++, p += 3) {
                out.put(redAt + i, r[px[p + 2] & 0xFF]);
                out.put(plane + i, g[px[p + 1] & 0xFF]);
                out.put(blueAt + i, b[px[p] & 0xFF]);
            }
        });
    }

    private void fillInterleaved(byte[] px, FloatBuffer out, int h, int w) {
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        int redAt = order == ChannelOrder.RGB ? 0 : 2;
        int blueAt = 2 - redAt;
        IntStream.range(0, h).parallel().forEach(y -> {
            int end = (y + 1) * w * 3;
            for (int p = y * w * 3; p < end; p += 3) {
                out.put(p + redAt, r[px[p + 2] & 0xFF]);
                out.put(p + 1, g[px[p + 1] & 0xFF]);
                out.put(p + blueAt, b[px[p] & 0xFF]);
            }
        });
    }

    private void fillGrey(byte[] px, FloatBuffer out, int plane) {
        // one plane either way: N x 1 x H x W and N x H x W x 1 hold the same sequence
        float[] v = lut[0];
        for (int i = 0; i < plane; i++) {
            out.put(i, v[px[i] & 0xFF]);
        }
    }
}
