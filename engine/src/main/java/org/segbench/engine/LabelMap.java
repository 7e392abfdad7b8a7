package org.segbench.engine;

/**
 * One class index per pixel, row-major, as unsigned bytes (0..255): predictions and ground truth
 * alike. The array is shared, not copied: treat it as read-only once built.
 */
public record LabelMap(int width, int height, byte[] labels) {
    public LabelMap {
        if (labels.length != width * height) {
            throw new IllegalArgumentException("labels has " + labels.length + " values for " + width + "x" + height);
        }
    }

    public static LabelMap blank(int width, int height) {
        return new LabelMap(width, height, new byte[width * height]);
    }

    /** Class index at column x, row y. */
    public int at(int x, int y) {
        return labels[y * width + x] & 0xFF;
    }

    public Size size() {
        return new Size(height, width);
    }
}
