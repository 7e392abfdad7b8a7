package org.segbench.app.viewport;

/**
 * Resamples a pane's picture to the size it takes on screen, so that JavaFX only copies it.
 * Without a GPU (Prism's software pipeline, e.g. under Xvfb) a scaled image is drawn through the
 * rasteriser's general image path, about twice the cost of the same picture at 1:1 per frame; a
 * resample here is a few table lookups per pixel. Magnified pictures are resampled
 * nearest-neighbour (label boundaries stay crisp pixels, as the view draws them zoomed in),
 * shrunk ones bilinearly (as Prism's smooth scaling does). The pictures are pre-multiplied ARGB
 * whose pixels are opaque or 0, so averaging all four channels keeps them valid.
 */
final class PictureScaler {
    private int[] xs = new int[0];
    private int forSourceW = -1;
    private int forTargetW = -1;

    /** {@code src} ({@code sw x sh}) into {@code dst} ({@code dw x dh}), row-major. */
    void scale(int[] src, int sw, int sh, int[] dst, int dw, int dh) {
        if (dw >= sw && dh >= sh) {
            nearest(src, sw, sh, dst, dw, dh);
        } else {
            bilinear(src, sw, sh, dst, dw, dh);
        }
    }

    /** The source column of every target column (pixel centres), kept while the sizes stay. */
    private int[] columns(int sw, int dw) {
        if (forSourceW != sw || forTargetW != dw) {
            xs = new int[dw];
            for (int x = 0; x < dw; x++) {
                xs[x] = Math.min(sw - 1, (int) ((x + 0.5) * sw / dw));
            }
            forSourceW = sw;
            forTargetW = dw;
        }
        return xs;
    }

    private void nearest(int[] src, int sw, int sh, int[] dst, int dw, int dh) {
        int[] cols = columns(sw, dw);
        int previous = -1;
        for (int y = 0; y < dh; y++) {
            int sy = Math.min(sh - 1, (int) ((y + 0.5) * sh / dh));
            int out = y * dw;
            if (sy == previous) {   // the same source row as the line above: copy that line
                System.arraycopy(dst, out - dw, dst, out, dw);
                continue;
            }
            int row = sy * sw;
            for (int x = 0; x < dw; x++) {
                dst[out + x] = src[row + cols[x]];
            }
            previous = sy;
        }
    }

    private static void bilinear(int[] src, int sw, int sh, int[] dst, int dw, int dh) {
        double sxScale = sw / (double) dw;
        double syScale = sh / (double) dh;
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, (y + 0.5) * syScale - 0.5);
            int y0 = Math.min(sh - 1, (int) fy);
            int y1 = Math.min(sh - 1, y0 + 1);
            int wy = (int) ((fy - y0) * 256);
            int r0 = y0 * sw;
            int r1 = y1 * sw;
            int out = y * dw;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, (x + 0.5) * sxScale - 0.5);
                int x0 = Math.min(sw - 1, (int) fx);
                int x1 = Math.min(sw - 1, x0 + 1);
                int wx = (int) ((fx - x0) * 256);
                dst[out + x] = mix(mix(src[r0 + x0], src[r0 + x1], wx), mix(src[r1 + x0], src[r1 + x1], wx), wy);
            }
        }
    }

    /** {@code a + (b - a) * w / 256}, channel by channel. */
    private static int mix(int a, int b, int w) {
        if (a == b) {
            return a;
        }
        int v = 256 - w;
        int ag = ((a >>> 8) & 0x00FF00FF) * v + ((b >>> 8) & 0x00FF00FF) * w;   // alpha and green
        int rb = (a & 0x00FF00FF) * v + (b & 0x00FF00FF) * w;                   // red and blue
        return (ag & 0xFF00FF00) | ((rb >>> 8) & 0x00FF00FF);
    }
}
