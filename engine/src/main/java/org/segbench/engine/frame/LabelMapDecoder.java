package org.segbench.engine.frame;

import java.util.stream.IntStream;

/**
 * Integer label-map outputs ({@code N x h x w} or {@code N x 1 x h x w}) to the output size,
 * nearest neighbour (labels must not be blended).
 */
public final class LabelMapDecoder {
    private LabelMapDecoder() {
    }

    /** @param source {@code h*w} class indices; values outside 0..255 become 255 */
    public static void decode(long[] source, int h, int w, int outH, int outW, byte[] labels) {
        IntStream.range(0, outH).parallel().forEach(y -> {
            int sy = Math.min(h - 1, (int) ((y + 0.5) * h / outH));
            int row = sy * w;
            int out = y * outW;
            for (int x = 0; x < outW; x++) {
                int sx = Math.min(w - 1, (int) ((x + 0.5) * w / outW));
                long v = source[row + sx];
                labels[out + x] = (byte) (v < 0 || v > 255 ? 255 : v);
            }
        });
    }
}
