package org.segbench.engine.frame;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One row of the logits, every class, copied out of the network's output, with its argmax: per
 * column the winning class (lowest on ties; NaN never wins), its lead over the runner-up (0 on a
 * tie) and the row's largest logit magnitude. {@link LogitsDecoder} holds the two rows an output
 * row lies between and reuses them for the next.
 */
final class LogitsRow {
    /**
     * Whether the JVM was started with {@code --add-modules jdk.incubator.vector} (the launchers
     * do): then the argmax runs on vector lanes (the argmax stage a third cheaper, BENCHMARKS.md),
     * otherwise in plain Java. Looked up here, so that without the module nothing links to it.
     */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final int classes;
    private final int width;
    /** {@code [class * width + column]}. */
    final float[] values;
    final byte[] label;
    final float[] lead;
    /** Every value of the row lies within plus or minus this (NaN aside). */
    float magnitude;
    /** The logits row held, or -1. */
    int index = -1;

    LogitsRow(int classes, int width) {
        this.classes = classes;
        this.width = width;
        this.values = new float[classes * width];
        this.label = new byte[width];
        this.lead = new float[width];
    }

    /**
     * Reads row {@code y} of every class plane ({@code plane} floats apart from {@code offset}).
     *
     * @param second scratch of {@code width} floats for the plain-Java argmax, shared by the rows of a band
     */
    void load(FloatBuffer logits, int offset, int plane, int y, float[] second) {
        for (int c = 0; c < classes; c++) {
            // one bulk read per class row: the logits stream through once, the loops run on an array
            logits.get(offset + c * plane + y * width, values, c * width, width);
        }
        magnitude = VECTOR ? VectorRowArgmax.argmax(values, classes, width, label, lead)
                : argmaxScalar(values, classes, width, label, lead, second);
        index = y;
    }

    /**
     * The argmax in plain Java, for a JVM started without {@code jdk.incubator.vector}; kept
     * class-outer (contiguous reads), which C2 runs faster than columns-outer without vectors.
     *
     * @param lead   out: the winner's lead per column (holds the best value until the end)
     * @param second scratch of {@code width} floats: the runner-up values
     * @return the largest magnitude of any value of the row (NaN aside)
     */
    static float argmaxScalar(float[] values, int classes, int width, byte[] label, float[] lead, float[] second) {
        float[] best = lead;
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        Arrays.fill(second, Float.NEGATIVE_INFINITY);
        Arrays.fill(label, (byte) 0);
        float lowest = Float.POSITIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            int base = c * width;
            for (int x = 0; x < width; x++) {
                float v = values[base + x];
                if (v > best[x]) {
                    second[x] = best[x];
                    best[x] = v;
                    label[x] = (byte) c;
                } else if (v > second[x]) {
                    second[x] = v;
                }
                if (v < lowest) {
                    lowest = v;
                }
            }
        }
        float highest = Float.NEGATIVE_INFINITY;
        for (int x = 0; x < width; x++) {
            if (best[x] > highest) {
                highest = best[x];
            }
            best[x] -= second[x];    // the best value becomes the lead, in place
        }
        return Math.max(Math.abs(lowest), Math.abs(highest));
    }
}
