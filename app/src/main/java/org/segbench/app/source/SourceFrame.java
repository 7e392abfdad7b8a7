package org.segbench.app.source;

import java.nio.file.Path;
import java.util.Optional;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.OpenCv;

/**
 * A frame as the app passes it around: its BGR bytes on the Java heap and where it came from. The
 * decoder's native Mat is released as soon as the frame is copied out, so native memory stays
 * bounded however many frames panes, metrics and the FX thread still hold; each inference makes
 * its own short-lived Mat ({@link #toMat()}).
 *
 * @param serial increases with every frame delivered, so panes can tell a re-run of the same
 *               frame (same serial) from a new one
 */
public record SourceFrame(long serial, long index, long count, double timestampMs, byte[] bgr, int width, int height,
                          Optional<Path> file, String sourceName) {

    /** Copies an 8-bit BGR Mat (continuous or not) out of native memory. */
    public static SourceFrame copyOf(Mat bgr, long serial, long index, long count, double timestampMs,
                                     Optional<Path> file, String sourceName) {
        if (bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("not an 8-bit colour frame (" + CvType.typeToString(bgr.type()) + ")");
        }
        byte[] bytes = new byte[bgr.cols() * bgr.rows() * 3];
        if (bgr.isContinuous()) {
            bgr.get(0, 0, bytes);
        } else {
            Mat c = bgr.clone(); // a clone is continuous
            c.get(0, 0, bytes);
            c.release();
        }
        return new SourceFrame(serial, index, count, timestampMs, bytes, bgr.cols(), bgr.rows(), file, sourceName);
    }

    /** A new 8-bit BGR Mat of this frame; the caller releases it. */
    public Mat toMat() {
        OpenCv.load();
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        m.put(0, 0, bgr);
        return m;
    }

    /** Identity for metrics: a file, or a video frame index. */
    public String key() {
        return file.map(Path::toString).orElse(sourceName + "#" + index);
    }
}
