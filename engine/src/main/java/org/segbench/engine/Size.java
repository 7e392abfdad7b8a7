package org.segbench.engine;

/** A height x width in pixels, written {@code HxW} as in the papers ({@code 360x480}). */
public record Size(int height, int width) {
    public Size {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("size must be positive: " + height + "x" + width);
        }
    }

    /** Parses {@code "HxW"}, e.g. {@code "1024x2048"}. */
    public static Size parse(String text) {
        String[] parts = text.trim().toLowerCase().split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected HxW, e.g. 360x480, got '" + text + "'");
        }
        try {
            return new Size(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HxW, e.g. 360x480, got '" + text + "'");
        }
    }

    public long pixels() {
        return (long) height * width;
    }

    /** This size with both sides rounded to the nearest multiple of {@code m} (at least m). */
    public Size roundedTo(int m) {
        return new Size(Math.max(m, Math.round(height / (float) m) * m), Math.max(m, Math.round(width / (float) m) * m));
    }

    @Override
    public String toString() {
        return height + "x" + width;
    }
}
