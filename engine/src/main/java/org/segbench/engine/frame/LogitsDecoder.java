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
        if (scores == null) {
            decodeLabels(FloatBuffer.wrap(logits), offset, classes, h, w, outH, outW, labels);
            return;
        }
        inBands(outH, (y0, y1) ->
                decodeRows(logits, offset, classes, h, w, outH, outW, labels, scores, y0, y1));
    }

    /**
     * Labels only (no scores), the per-frame path of video, straight from a buffer (ONNX Runtime's
     * output in place: no copy of the logits). Exactly the labels of {@link #decodeLabelsFull}, for
     * far less work. Bilinear weights are the same for every class and never negative, so where one
     * class leads every other at all four logits pixels an output pixel is interpolated from, it
     * leads in the interpolation too (a convex combination of leads is a lead). So each logits row
     * is argmaxed once; an output pixel whose four source pixels agree on a class, each with a lead
     * above {@link #safeLead}, takes that class; the others (class boundaries, near ties, exact
     * ties) get the full per-class interpolation with the arithmetic of {@link #decodeRows}. One
     * pass down the frame: the two logits rows under the current output rows are copied out once
     * and serve both the argmax and the full pixels from the cache.
     *
     * @param logits  {@code classes} planes of {@code h*w} floats from absolute index {@code offset}
     * @param labels  out: {@code outH*outW} class indices
     */
    public static void decodeLabels(FloatBuffer logits, int offset, int classes, int h, int w, int outH, int outW,
                                    byte[] labels) {
        if (classes > 256) {
            throw new IllegalArgumentException(classes + " classes do not fit a byte label map");
        }
        int plane = h * w;
        if (h == outH && w == outW) {
            // no interpolation at the same size: the plain argmax is the answer
            inBands(h, (y0, y1) -> {
                LogitsRow row = new LogitsRow(classes, w);
                float[] second = new float[w];
                for (int y = y0; y < y1; y++) {
                    row.load(logits, offset, plane, y, second);
                    System.arraycopy(row.label, 0, labels, y * w, w);
                }
            });
            return;
        }
        inBands(outH, (y0, y1) -> upsampleRows(logits, offset, classes, h, w, outH, outW,
                labels, y0, y1));
    }

    /**
     * The lead a class needs at each of the four source pixels for the shortcut, given a bound M on
     * the magnitude of their logits (the largest of their two rows). The full path computes each
     * interpolated logit with three lerps {@code a + (b - a) * f} (two down, one across; weights in
     * [0, 1], values within M); each operation rounds by at most 2^-24 of its result, which puts
     * the computed value within 20 * 2^-24 * M of the exact interpolation, and a difference of two
     * within 40 * 2^-24 * M. A lead above 64 * 2^-24 * M (= M * 2^-18) at all four pixels therefore
     * survives the rounding: the full path sees the class strictly ahead of every other, so it
     * picks it, ties included. The floor covers subnormal rounding. Logits so large that a
     * difference of two could overflow (M from 2^125), infinite or NaN-only rows send every pixel
     * there down the full path.
     */
    static float safeLead(float magnitude) {
        return magnitude < 0x1p125f ? Math.max(magnitude * 0x1p-18f, Float.MIN_NORMAL) : Float.POSITIVE_INFINITY;
    }

    /**
     * Output rows {@code y0..y1-1}: the shortcut label where it is safe, the full interpolation
     * elsewhere. Output rows between the same two logits rows share their shortcut labels, so those
     * are worked out once per logits row pair and copied.
     */
    private static void upsampleRows(FloatBuffer logits, int offset, int classes, int h, int w, int outH,
                                     int outW, byte[] labels, int y0, int y1) {
        int plane = h * w;
        int[] xa = new int[outW];
        int[] xb = new int[outW];
        float[] fx = new float[outW];
        columns(w, outW, xa, xb, fx);
        LogitsRow[] held = {new LogitsRow(classes, w), new LogitsRow(classes, w)};
        float[] second = new float[w];
        // per logits column x of the current row pair: the class all four pixels at (x, x + 1)
        // agree on with a safe lead, or -1
        int[] agreed = new int[w];
        byte[] shortcut = new byte[outW];
        int[] full = new int[outW];
        int fullCount = 0;
        // fx of each full pixel, and per pixel of a run the best value and class so far
        float[] fullFx = new float[outW];
        float[] runBest = new float[outW];
        int[] runArg = new int[outW];
        // per logits column x of the current row pair whose cell (x, x + 1) needs the full path:
        // the classes that can win anywhere in it, in class order (candidates[x * classes ...])
        int[] candidates = new int[w * classes];
        int[] candidateCount = new int[w];
        LogitsRow top = null;
        LogitsRow bottom = null;
        float scaleY = h / (float) outH;
        for (int y = y0; y < y1; y++) {
            float sy = Math.max(0f, (y + 0.5f) * scaleY - 0.5f);
            int ya = Math.min((int) sy, h - 1);
            int yb = Math.min(ya + 1, h - 1);
            float fy = sy - ya;
            if (top == null || top.index != ya) {
                top = fetch(held, ya, null, logits, offset, plane, second);
                bottom = yb == ya ? top : fetch(held, yb, top, logits, offset, plane, second);
                float safe = safeLead(Math.max(top.magnitude, bottom.magnitude));
                for (int x = 0; x < w; x++) {
                    int l = top.label[x] & 0xFF;
                    boolean sure = l == (bottom.label[x] & 0xFF) && top.lead[x] > safe && bottom.lead[x] > safe;
                    agreed[x] = sure ? l : -1;
                }
                for (int x = 0; x < w - 1; x++) {
                    if (agreed[x] != agreed[x + 1]) {
                        agreed[x] = -1;
                    }
                }
                for (int x = 0; x < w; x++) {
                    if (agreed[x] < 0) {
                        candidateCount[x] = candidates(top.values, bottom.values, classes, w, x,
                                Math.min(x + 1, w - 1), safe, candidates);
                    }
                }
                fullCount = 0;
                for (int x = 0; x < outW; x++) {
                    // xb is xa + 1, or xa at the right edge: agreed[xa] covers both columns
                    int l = agreed[xa[x]];
                    shortcut[x] = (byte) l;
                    if (l < 0) {
                        fullFx[fullCount] = fx[x];
                        full[fullCount++] = x;
                    }
                }
            }
            int out = y * outW;
            System.arraycopy(shortcut, 0, labels, out, outW);
            float[] ra = top.values;
            float[] rb = bottom.values;
            // The full pixels, a run per logits cell (the pixels of one cell are neighbours): each
            // candidate class is interpolated down at the cell's two columns once, then across the
            // run, with the arithmetic of sampleRow and the strict, lowest-class-first argmax of
            // decodeRows, so the labels are the full computation's.
            for (int i = 0; i < fullCount; ) {
                int ca = xa[full[i]];
                int cb = xb[full[i]];
                int j = i + 1;
                while (j < fullCount && xa[full[j]] == ca) {
                    j++;
                }
                Arrays.fill(runBest, i, j, Float.NEGATIVE_INFINITY);
                Arrays.fill(runArg, i, j, 0);
                for (int k = ca * classes, end = k + candidateCount[ca]; k < end; k++) {
                    int c = candidates[k];
                    int p = c * w;
                    float a0 = ra[p + ca];
                    float va = a0 + (rb[p + ca] - a0) * fy;
                    float b0 = ra[p + cb];
                    float vb = b0 + (rb[p + cb] - b0) * fy;
                    for (int q = i; q < j; q++) {
                        float v = va + (vb - va) * fullFx[q];
                        if (v > runBest[q]) {
                            runBest[q] = v;
                            runArg[q] = c;
                        }
                    }
                }
                for (int q = i; q < j; q++) {
                    labels[out + full[q]] = (byte) runArg[q];
                }
                i = j;
            }
        }
    }

    /**
     * The classes that can come out on top anywhere in the cell between logits columns {@code xa}
     * and {@code xb} of two rows, written in class order from {@code out[xa * classes]}; returns
     * how many. Bilinear interpolation never leaves the range of the four corner values, so a
     * class whose highest corner lies below the lowest corner of some other class can never lead.
     * With the rounding of the full path's lerps (each interpolated logit within 20 * 2^-24 * M of
     * the exact value, see {@link #safeLead}), a class is left out only when its highest corner is
     * below that lowest corner by more than {@code margin}; so the computed values of the classes
     * left out are all strictly below another's and the argmax, ties included, is unchanged. NaN
     * corners keep a class in; an infinite margin (huge or non-finite logits) keeps every class.
     */
    static int candidates(float[] ra, float[] rb, int classes, int w, int xa, int xb, float margin, int[] out) {
        float floor = Float.NEGATIVE_INFINITY;
        for (int c = 0, p = 0; c < classes; c++, p += w) {
            float low = Math.min(Math.min(ra[p + xa], ra[p + xb]), Math.min(rb[p + xa], rb[p + xb]));
            if (low > floor) {   // NaN never raises the floor
                floor = low;
            }
        }
        float threshold = floor - margin;
        int n = 0;
        int base = xa * classes;
        for (int c = 0, p = 0; c < classes; c++, p += w) {
            float high = Math.max(Math.max(ra[p + xa], ra[p + xb]), Math.max(rb[p + xa], rb[p + xb]));
            if (!(high < threshold)) {   // NaN stays in
                out[base + n++] = c;
            }
        }
        return n;
    }

    /** The held row {@code y}, else {@code y} loaded into the held row that is not {@code keep}. */
    private static LogitsRow fetch(LogitsRow[] held, int y, LogitsRow keep, FloatBuffer logits, int offset,
                                   int plane, float[] second) {
        for (LogitsRow r : held) {
            if (r.index == y) {
                return r;
            }
        }
        LogitsRow r = held[0] == keep ? held[1] : held[0];
        r.load(logits, offset, plane, y, second);
        return r;
    }


    /**
     * Labels by interpolating every class at every output pixel: what {@link #decodeLabels} must
     * equal, kept as the reference for tests.
     */
    static void decodeLabelsFull(float[] logits, int offset, int classes, int h, int w, int outH, int outW,
                                 byte[] labels) {
        inBands(outH, (y0, y1) ->
                decodeRows(logits, offset, classes, h, w, outH, outW, labels, null, y0, y1));
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

    /**
     * Splits {@code rows} into bands run in parallel: disjoint rows, no sharing. Two per core: some
     * balance between cores, and little scratch per frame (each band has its own).
     */
    private static void inBands(int rows, Rows body) {
        int bands = Math.max(1, Math.min(rows, Runtime.getRuntime().availableProcessors() * 2));
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
