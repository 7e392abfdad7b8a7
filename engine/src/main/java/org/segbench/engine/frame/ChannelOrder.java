package org.segbench.engine.frame;

import java.util.Locale;

/**
 * The colour order a network wants its three input channels in. PyTorch models trained on PIL
 * images want RGB; models from Caffe and OpenCV pipelines (and many TensorFlow exports) want BGR,
 * the order frames are decoded in. Metadata key {@code channel_order}; RGB when nobody says.
 */
public enum ChannelOrder {
    RGB,
    BGR;

    /** {@code rgb} or {@code bgr}, any case. */
    public static ChannelOrder parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "rgb" -> RGB;
            case "bgr" -> BGR;
            default -> throw new IllegalArgumentException("channel order '" + text + "' is not rgb or bgr");
        };
    }

    /** The name as metadata writes it: {@code rgb} or {@code bgr}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
