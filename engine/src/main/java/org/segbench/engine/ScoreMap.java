package org.segbench.engine;

import org.segbench.engine.frame.LogitsDecoder;

import java.util.function.Consumer;

/**
 * Per pixel, the softmax probability of the predicted class, at the source frame's resolution.
 *
 * <p>Computing it for every pixel means interpolating every class's logits at every output pixel
 * and a softmax there: several times the cost of the labels, paid on every frame for a readout the
 * user looks at one pixel at a time. So a score map usually keeps the logits (at the network's
 * resolution) and computes a pixel's score when asked, with the same arithmetic as the full
 * computation; {@link #toArray()} computes (once) the whole map. Logits too large to keep are
 * turned into the full map at once instead. A holder that keeps predictions around for their
 * labels only (a history of frames) calls {@link #release()} to let the logits go.
 */
public final class ScoreMap {
    /** Above this many logits (64 MB of floats) the map is computed at once, not kept as logits. */
    static final long KEEP_LIMIT = 16L << 20;

    private volatile float[] logits;
    private final int classes;
    private final int h;
    private final int w;
    private final int outH;
    private final int outW;
    private volatile float[] full;
    /** Where the kept logits go when released, or null. */
    private final Consumer<float[]> recycler;

    private ScoreMap(float[] logits, int classes, int h, int w, int outH, int outW, float[] full,
                     Consumer<float[]> recycler) {
        this.recycler = recycler;
        this.logits = logits;
        this.classes = classes;
        this.h = h;
        this.w = w;
        this.outH = outH;
        this.outW = outW;
        this.full = full;
    }

    /**
     * @param logits {@code classes x h x w} logits this map may keep (the caller gives it up)
     */
    public static ScoreMap of(float[] logits, int classes, int h, int w, int outH, int outW) {
        return of(logits, classes, h, w, outH, outW, null);
    }

    /**
     * @param logits   as above
     * @param recycler takes the logits back once they are no longer needed (the map was
     *                 {@link #release() released}, or its full map computed), or null
     */
    public static ScoreMap of(float[] logits, int classes, int h, int w, int outH, int outW,
                              Consumer<float[]> recycler) {
        if ((long) classes * h * w > KEEP_LIMIT) {
            float[] scores = new float[outH * outW];
            LogitsDecoder.decode(logits, 0, classes, h, w, outH, outW, new byte[outH * outW], scores);
            if (recycler != null) {
                recycler.accept(logits);
            }
            return new ScoreMap(null, classes, h, w, outH, outW, scores, null);
        }
        return new ScoreMap(logits, classes, h, w, outH, outW, null, recycler);
    }

    public int width() {
        return outW;
    }

    public int height() {
        return outH;
    }

    /**
     * Softmax probability of the top class at column x, row y of the source frame; NaN once
     * {@link #release() released} (unless the whole map was computed before).
     */
    public float at(int x, int y) {
        float[] f = full;
        if (f != null) {
            return f[y * outW + x];
        }
        float[] l = logits;
        return l == null ? Float.NaN : LogitsDecoder.scoreAt(l, 0, classes, h, w, outH, outW, x, y);
    }

    /** The whole map, row-major {@code outH x outW}; computed on the first call. */
    public synchronized float[] toArray() {
        if (full == null) {
            float[] l = logits;
            if (l == null) {
                throw new IllegalStateException("score map released before it was computed");
            }
            float[] scores = new float[outH * outW];
            LogitsDecoder.decode(l, 0, classes, h, w, outH, outW, new byte[outH * outW], scores);
            full = scores;
            release();
        }
        return full;
    }

    /**
     * Lets the kept logits go (back to the pool they came from, if any); scores asked for
     * afterwards are NaN. A reader on another thread may be answered from a reused array: callers
     * that recycle release on the thread that reads.
     */
    public synchronized void release() {
        float[] l = logits;
        logits = null;
        if (l != null && recycler != null) {
            recycler.accept(l);
        }
    }
}
