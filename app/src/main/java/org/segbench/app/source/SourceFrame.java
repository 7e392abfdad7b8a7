package org.segbench.app.source;

import java.nio.file.Path;
import java.util.Optional;

import javafx.scene.image.Image;

import org.opencv.core.Mat;

/**
 * A frame as the app passes it around: the engine's BGR Mat (read by every pane's model, never
 * written), the same pixels as a JavaFX image, and where it came from.
 *
 * @param serial increases with every frame delivered, so panes can tell a re-run of the same
 *               frame (same serial) from a new one
 */
public record SourceFrame(long serial, long index, long count, double timestampMs, Mat bgr, Image image,
                          Optional<Path> file, String sourceName) {
    public int width() { return bgr.cols(); }
    public int height() { return bgr.rows(); }

    /** Identity for metrics: a file, or a video frame index. */
    public String key() {
        return file.map(Path::toString).orElse(sourceName + "#" + index);
    }
}
