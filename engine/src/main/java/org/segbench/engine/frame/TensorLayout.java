package org.segbench.engine.frame;

import org.segbench.engine.Size;

/**
 * Where a 4-d image or score tensor keeps its channels. Every place that builds a tensor shape or
 * reads the channels, height or width out of one asks this enum, so that another layout (NHWC, as
 * TensorFlow and OpenVINO export) is a new constant here plus the loops that write the input
 * ({@link Preprocessor}) and read the scores ({@link LogitsDecoder}), not a hunt for {@code shape[1]}.
 */
public enum TensorLayout {
    /** Batch, channels, height, width: PyTorch's layout and what the zoo exports. */
    NCHW;

    /** The shape of one frame of {@code channels} at {@code size}. */
    public long[] shape(long channels, Size size) {
        return new long[] {1, channels, size.height(), size.width()};
    }

    /** Channels of a 4-d shape ({@code -1} when dynamic); 1 for a 3-d label map ({@code N x h x w}). */
    public long channels(long[] shape) {
        return shape.length == 4 ? shape[1] : 1;
    }

    /** Height of a 4-d shape or of a 3-d label map; {@code -1} when dynamic. */
    public long height(long[] shape) {
        return shape[shape.length - 2];
    }

    /** Width of a 4-d shape or of a 3-d label map; {@code -1} when dynamic. */
    public long width(long[] shape) {
        return shape[shape.length - 1];
    }
}
