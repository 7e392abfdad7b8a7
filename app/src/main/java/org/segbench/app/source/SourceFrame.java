package org.segbench.app.source;

import java.nio.file.Path;
import java.util.Optional;

import javafx.scene.image.Image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.app.pane.LabelImages;
import org.segbench.engine.OpenCv;

/**
 * A frame as the app passes it around: its BGR bytes on the Java heap, the same pixels as a JavaFX
 * image, and where it came from. The decoder's native Mat is released as soon as the frame is
 * copied out, so native memory stays bounded however many frames panes, metrics and the FX thread
 * still hold; each inference makes its own short-lived Mat ({@link #toMat()}).
 *
 * @param serial increases with every frame delivered, so panes can tell a re-run of the same
 *               frame (same serial) from a new one
 */
public record SourceFrame(long serial, long index, long count, double timestampMs, byte[] bgr, int width, int height,
                          Image image, Optional<Path> file, String sourceName) {

    /** A new 8-bit BGR Mat of this frame; the caller releases it. */
    public Mat toMat() {
        OpenCv.load();
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        m.put(0, 0, bgr);
        return m;
    }

    /** Opaque ARGB pixels, for composing pictures off the FX thread. */
    public int[] argb() { return LabelImages.fromBgr(bgr, width, height); }

    /** Identity for metrics: a file, or a video frame index. */
    public String key() {
        return file.map(Path::toString).orElse(sourceName + "#" + index);
    }
}
