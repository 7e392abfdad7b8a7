package org.segbench.engine.source;

import org.opencv.core.Mat;
import org.segbench.engine.Size;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One frame from a {@link FrameSource}: an 8-bit BGR {@code Mat} ({@code CV_8UC3}) that this
 * frame owns, its index in the source, its timestamp, and the file it came from (images) so
 * outputs can be named after it. Close it (or {@code bgr().release()}) when done to free native
 * memory early.
 *
 * @param timestampMs milliseconds from the start of a video; 0 for still images
 * @param file        the image file, or empty for video and webcam frames
 */
public record Frame(Mat bgr, long index, double timestampMs, Optional<Path> file) implements AutoCloseable {

    public int width() {
        return bgr.cols();
    }

    public int height() {
        return bgr.rows();
    }

    public Size size() {
        return new Size(bgr.rows(), bgr.cols());
    }

    /** A name for outputs: the image file name without extension, else {@code frame_000042}. */
    public String name() {
        return file.map(f -> f.getFileName().toString().replaceFirst("\\.[^.]+$", ""))
                .orElse(String.format("frame_%06d", index));
    }

    @Override
    public void close() {
        bgr.release();
    }
}
