package org.segbench.engine.frame;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Class scores to labels: bilinear upsampling of {@code C x h x w} logits straight to the output
 * size (half-pixel centres, like OpenCV's resize and PyTorch's {@code align_corners=False}), argmax
 * over classes, and optionally the softmax probability of the winning class.
 *
 * <p>Going to the source frame size in one step, rather than to the network input size and then
 * nearest-neighbour to the frame, keeps boundaries smooth and costs one pass. Loops run class-outer
 * over one output row at a time (contiguous reads of each class plane), bands of rows in parallel.
 */
public final class LogitsDecoder {
    private LogitsDecoder() {
    }

    /**
     * @param logits  {@code classes} planes of {@code h*w} floats starting at {@code offset}
     * @param labels  out: {@code outH*outW} class indices (unsigned bytes)
     * @param scores  out: top-class probabilities, or null to skip the softmax
     */
    public static void decode(float[] logits, int offset, int classes, int h, int w, int outH, int outW,
                              byte[] labels, float[] scores) {
        if (classes > 256) {
            throw new IllegalArgumentException(classes + " classes do not fit a byte label map");
        }
        if (scores == null && classes < UNSAFE) {
            decodeLabels(FloatBuffer.wrap(logits), offset, classes, h, w, outH, outW, labels);
            return;
        }
        inBands(outH, (y0, y1) -> {
            decodeRows(logits, offset, classes, h, w, outH, outW, labels, scores, y0, y1);
        });
    }

    /** Low-resolution label meaning "too close to call here: interpolate every class". */
    private static final int UNSAFE = 255;
    /**
     * Relative lead the winning class must have over the runner-up at a logits pixel for the
     * shortcut below. Float rounding of the two interpolations is a few ulps (~1e-7 relative); this
     * keeps a wide berth so that the shortcut and the full interpolation always agree.
     */
    private static final float MARGIN = 1e-4f;

    /**
     * Labels only (no scores), the per-frame path of video, straight from a buffer (ONNX Runtime's
     * output in place: no copy of the logits). Same result as interpolating every class at every
     * output pixel, far less work. Bilinear weights are the same for all classes, so if one class
     * leads all others at the four logits pixels an output pixel is interpolated from, it leads
     * them in the interpolation too (a convex combination of leads is a lead). Inside regions that
     * holds for almost every pixel: only pixels near class boundaries, or whose neighbours are
     * close calls, get the full per-class interpolation, computed with exactly the arithmetic of
     * {@link #decodeRows} so the result is identical.
     *
     * @param logits  {@code classes} planes of {@code h*w} floats from absolute index {@code offset}
     * @param labels  out: {@code outH*outW} class indices
     */
    public static void decodeLabels(FloatBuffer logits, int offset, int classes, int h, int w, int outH, int outW,
                                    byte[] labels) {
        if (classes >= UNSAFE) {
            float[] copy = new float[classes * h * w];
            logits.get(offset, copy, 0, copy.length);
            decode(copy, 0, classes, h, w, outH, outW, labels, new float[outH * outW]);
            return;
        }
        int plane = h * w;
        boolean same = h == outH && w == outW;
        // 1. argmax at the logits' resolution, with UNSAFE where the lead is too thin
        byte[] low = same ? labels : new byte[plane];
        inBands(h, (y0, y1) -> {
            float[] row = new float[w];
            float[] best = new float[w];
            float[] second = new float[w];
            int[] arg = new int[w];
            for (int y = y0; y < y1; y++) {
                Arrays.fill(best, Float.NEGATIVE_INFINITY);
                Arrays.fill(second, Float.NEGATIVE_INFINITY);
                Arrays.fill(arg, 0);
                for (int c = 0; c < classes; c++) {
                    // one bulk read per class row: the logits stream through once, the loop runs on an array
                    logits.get(offset + c * plane + y * w, row, 0, w);
                    for (int x = 0; x < w; x++) {
                        float v = row[x];
                        if (v > best[x]) {
                            second[x] = best[x];
                            best[x] = v;
                            arg[x] = c;
                        } else if (v > second[x]) {
                            second[x] = v;
                        }
                    }
                }
                int out = y * w;
                for (int x = 0; x < w; x++) {
                    // at the same size there is no interpolation: the plain argmax is the answer
                    boolean clear = same || best[x] - second[x] > MARGIN * (1f + Math.abs(best[x]));
                    low[out + x] = (byte) (clear ? arg[x] : UNSAFE);
                }
            }
        });
        if (same) {
            return;
        }
        // 2. output pixels: the shared label where all four neighbours agree clearly, else the full sum
        inBands(outH, (y0, y1) -> {
            int[] xa = new int[outW];
            int[] xb = new int[outW];
            float[] fx = new float[outW];
            columns(w, outW, xa, xb, fx);
            // per pair of logits rows: the label a column pair agrees on clearly, or -1
            int[] pair = new int[w];
            int pairRow = -1;
            float scaleY = h / (float) outH;
            for (int y = y0; y < y1; y++) {
                float sy = Math.max(0f, (y + 0.5f) * scaleY - 0.5f);
                int ya = Math.min((int) sy, h - 1);
                int yb = Math.min(ya + 1, h - 1);
                float fy = sy - ya;
                int ra = ya * w;
                int rb = yb * w;
                int out = y * outW;
                if (ya != pairRow) {
                    // consecutive output rows mostly share their logits rows: work this out once for them
                    for (int x = 0; x < w; x++) {
                        int l = low[ra + x] & 0xFF;
                        pair[x] = l != UNSAFE && l == (low[rb + x] & 0xFF) ? l : -1;
                    }
                    pairRow = ya;
                }
                for (int x = 0; x < outW; x++) {
                    int l = pair[xa[x]];
                    if (l >= 0 && l == pair[xb[x]]) {
                        labels[out + x] = (byte) l;
                        continue;
                    }
                    // the arithmetic of decodeRows/sampleRow, one pixel at a time
                    float top = Float.NEGATIVE_INFINITY;
                    int arg = 0;
                    for (int c = 0; c < classes; c++) {
                        int p = offset + c * plane;
                        float a = logits.get(p + ra + xa[x]);
                        float va = a + (logits.get(p + rb + xa[x]) - a) * fy;
                        float b = logits.get(p + ra + xb[x]);
                        float vb = b + (logits.get(p + rb + xb[x]) - b) * fy;
                        float v = va + (vb - va) * fx[x];
                        if (v > top) {
                            top = v;
                            arg = c;
                        }
                    }
                    labels[out + x] = (byte) arg;
                }
            }
        });
    }

    private static void decodeRows(float[] logits, int offset, int classes, int h, int w, int outH, int outW,
                                   byte[] labels, float[] scores, int rowFrom, int rowTo) {
        boolean same = h == outH && w == outW;
        int plane = h * w;
        float[] best = new float[outW];
        int[] arg = new int[outW];
        float[] value = new float[outW];
        float[] vertical = new float[w];
        // horizontal sampling positions, shared by all rows and classes
        int[] xa = new int[outW];
        int[] xb = new int[outW];
        float[] fx = new float[outW];
        if (!same) {
            columns(w, outW, xa, xb, fx);
        }
        float scaleY = h / (float) outH;
        for (int y = rowFrom; y < rowTo; y++) {
            int ya = y;
            int yb = y;
            float fy = 0f;
            if (!same) {
                float sy = Math.max(0f, (y + 0.5f) * scaleY - 0.5f);
                ya = Math.min((int) sy, h - 1);
                yb = Math.min(ya + 1, h - 1);
                fy = sy - ya;
            }
            Arrays.fill(best, Float.NEGATIVE_INFINITY);
            Arrays.fill(arg, 0);
            for (int c = 0; c < classes; c++) {
                sampleRow(logits, offset + c * plane, w, outW, same, ya, yb, fy, xa, xb, fx, vertical, value);
                for (int x = 0; x < outW; x++) {
                    if (value[x] > best[x]) {
                        best[x] = value[x];
                        arg[x] = c;
                    }
                }
            }
            int out = y * outW;
            for (int x = 0; x < outW; x++) {
                labels[out + x] = (byte) arg[x];
            }
            if (scores != null) {
                // softmax of the winner = 1 / sum_c exp(v_c - v_max); second pass over the classes
                float[] sum = new float[outW];
                for (int c = 0; c < classes; c++) {
                    sampleRow(logits, offset + c * plane, w, outW, same, ya, yb, fy, xa, xb, fx, vertical, value);
                    for (int x = 0; x < outW; x++) {
                        sum[x] += (float) Math.exp(value[x] - best[x]);
                    }
                }
                for (int x = 0; x < outW; x++) {
                    scores[out + x] = 1f / sum[x];
                }
            }
        }
    }

    /**
     * The top class's softmax probability at one output pixel: the per-pixel arithmetic of
     * {@link #decode} with scores (same sampling positions, same operation order), so the value is
     * identical to that pixel of the full score map.
     */
    public static float scoreAt(float[] logits, int offset, int classes, int h, int w, int outH, int outW,
                                int x, int y) {
        boolean same = h == outH && w == outW;
        int plane = h * w;
        int ya = y;
        int yb = y;
        int xa = x;
        int xb = x;
        float fy = 0f;
        float fx = 0f;
        if (!same) {
            float sy = Math.max(0f, (y + 0.5f) * (h / (float) outH) - 0.5f);
            ya = Math.min((int) sy, h - 1);
            yb = Math.min(ya + 1, h - 1);
            fy = sy - ya;
            float sx = Math.max(0f, (x + 0.5f) * (w / (float) outW) - 0.5f);
            xa = Math.min((int) sx, w - 1);
            xb = Math.min(xa + 1, w - 1);
            fx = sx - xa;
        }
        float[] value = new float[classes];
        float best = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            int p = offset + c * plane;
            float v;
            if (same) {
                v = logits[p + y * w + x];
            } else {
                float a0 = logits[p + ya * w + xa];
                float va = a0 + (logits[p + yb * w + xa] - a0) * fy;
                float b0 = logits[p + ya * w + xb];
                float vb = b0 + (logits[p + yb * w + xb] - b0) * fy;
                v = va + (vb - va) * fx;
            }
            value[c] = v;
            if (v > best) {
                best = v;
            }
        }
        float sum = 0f;
        for (int c = 0; c < classes; c++) {
            sum += (float) Math.exp(value[c] - best);
        }
        return 1f / sum;
    }

    private interface Rows {
        void run(int from, int to);
    }

    /** Splits {@code rows} into bands (a few per core) run in parallel: disjoint rows, no sharing. */
    private static void inBands(int rows, Rows body) {
        int bands = Math.min(rows, Runtime.getRuntime().availableProcessors() * 4);
        IntStream.range(0, bands).parallel().forEach(band ->
                body.run((int) ((long) rows * band / bands), (int) ((long) rows * (band + 1) / bands)));
    }

    /**
     * Horizontal sampling for every output column: the two logits columns it lies between and the
     * weight of the second (half-pixel centres). Shared by all rows and classes.
     */
    private static void columns(int w, int outW, int[] xa, int[] xb, float[] fx) {
        float scaleX = w / (float) outW;
        for (int x = 0; x < outW; x++) {
            float sx = Math.max(0f, (x + 0.5f) * scaleX - 0.5f);
            int a = Math.min((int) sx, w - 1);
            xa[x] = a;
            xb[x] = Math.min(a + 1, w - 1);
            fx[x] = sx - a;
        }
    }

    private static void sampleRow(float[] logits, int planeStart, int w, int outW, boolean same, int ya, int yb,
                                  float fy, int[] xa, int[] xb, float[] fx, float[] vertical, float[] value) {
        if (same) {
            System.arraycopy(logits, planeStart + ya * w, value, 0, outW);
            return;
        }
        int ra = planeStart + ya * w;
        int rb = planeStart + yb * w;
        for (int x = 0; x < w; x++) {
            float a = logits[ra + x];
            vertical[x] = a + (logits[rb + x] - a) * fy;
        }
        for (int x = 0; x < outW; x++) {
            float a = vertical[xa[x]];
            value[x] = a + (vertical[xb[x]] - a) * fx[x];
        }
    }
}
