package org.segbench.engine;

import java.util.Optional;

/**
 * The result of running a model on one frame.
 *
 * @param labels    predicted class per pixel at the <em>source frame's</em> resolution
 * @param scores    per pixel, the softmax probability of the predicted class (same size as the
 *                  labels, computed when asked), or null when scores were turned off or the
 *                  model outputs a label map
 * @param inputSize the size the frame was resized to for the network
 * @param timings   preprocess / inference / postprocess milliseconds
 */
public record Prediction(LabelMap labels, ScoreMap scores, Size inputSize, Timings timings) {

    public int width() {
        return labels.width();
    }

    public int height() {
        return labels.height();
    }

    /** Class index at column x, row y. */
    public int labelAt(int x, int y) {
        return labels.at(x, y);
    }

    /** Top-class probability at column x, row y, if scores were computed. */
    public Optional<Float> scoreAt(int x, int y) {
        if (scores == null) {
            return Optional.empty();
        }
        float s = scores.at(x, y);
        return Float.isNaN(s) ? Optional.empty() : Optional.of(s);
    }
}
