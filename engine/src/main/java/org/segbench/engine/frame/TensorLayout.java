package org.segbench.engine.frame;

import org.segbench.engine.Size;

import java.util.Locale;

/**
 * Where a 4-d image or score tensor keeps its channels. Every place that builds a tensor shape or
 * reads the channels, height or width out of one asks this enum: PyTorch exports NCHW, TensorFlow
 * and OpenVINO exports often NHWC. Which one a model uses is detected from its shapes
 * ({@link #detectInput}, {@link #detectOutput}) unless the user or the model's metadata says
 * ({@code layout} = {@code nchw|nhwc}).
 */
public enum TensorLayout {
    /** Batch, channels, height, width: PyTorch's layout and what the zoo exports. */
    NCHW,
    /** Batch, height, width, channels: TensorFlow's and OpenVINO's. */
    NHWC;

    /** The shape of one frame of {@code channels} at {@code size}. */
    public long[] shape(long channels, Size size) {
        return this == NCHW ? new long[] {1, channels, size.height(), size.width()}
                : new long[] {1, size.height(), size.width(), channels};
    }

    /** Channels of a 4-d shape ({@code -1} when dynamic); 1 for a 3-d label map ({@code N x h x w}). */
    public long channels(long[] shape) {
        if (shape.length != 4) {
            return 1;
        }
        return this == NCHW ? shape[1] : shape[3];
    }

    /** Height of a 4-d shape or of a 3-d label map; {@code -1} when dynamic. */
    public long height(long[] shape) {
        return shape.length == 4 && this == NHWC ? shape[1] : shape[shape.length - 2];
    }

    /** Width of a 4-d shape or of a 3-d label map; {@code -1} when dynamic. */
    public long width(long[] shape) {
        return shape.length == 4 && this == NHWC ? shape[2] : shape[shape.length - 1];
    }

    /** {@code nchw} or {@code nhwc}, any case. */
    public static TensorLayout parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "nchw" -> NCHW;
            case "nhwc" -> NHWC;
            default -> throw new IllegalArgumentException("layout '" + text + "' is not nchw or nhwc");
        };
    }

    /** The name as metadata writes it: {@code nchw} or {@code nhwc}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The layout of a rank-4 image input: NHWC when the last axis holds 1 or 3 channels and the
     * second does not, else NCHW (PyTorch's, and the answer when both axes are dynamic).
     */
    public static TensorLayout detectInput(long[] shape) {
        if (shape.length != 4) {
            return NCHW;
        }
        return !isImageChannels(shape[1]) && isImageChannels(shape[3]) && shape[3] > 0 ? NHWC : NCHW;
    }

    /**
     * The layout of a rank-4 output. A label map ({@code classes} is 1) is NHWC when its last axis
     * is the single channel and its second is not. Class scores: a known class count decides when it
     * sits in exactly one of the two places; otherwise NHWC when the last axis is fixed and no larger
     * than a label map allows, while the axes before it are dynamic or larger (a plausible height and
     * width); else NCHW.
     *
     * @param classes the class count the model is expected to have, or -1 when unknown
     */
    public static TensorLayout detectOutput(long[] shape, int classes) {
        if (shape.length != 4) {
            return NCHW;
        }
        long second = shape[1];
        long last = shape[3];
        if (classes > 0 && (second == classes) != (last == classes)) {
            return last == classes ? NHWC : NCHW;
        }
        if (last <= 0 || last > 256 || second == 1) {
            return NCHW;
        }
        boolean spatialBefore = (second < 0 || second > last) && (shape[2] < 0 || shape[2] > last);
        return spatialBefore ? NHWC : NCHW;
    }

    private static boolean isImageChannels(long c) {
        return c == 1 || c == 3;
    }
}
