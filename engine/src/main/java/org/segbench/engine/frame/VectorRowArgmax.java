package org.segbench.engine.frame;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The argmax of {@link LogitsRow} with the JDK's incubating Vector API: one column per lane, per
 * column the same comparisons in the same class order, so every label, lead and the magnitude are
 * bit for bit those of {@link LogitsRow#argmaxScalar}. Only {@link LogitsRow} calls it, and only
 * when the module {@code jdk.incubator.vector} is in the boot layer ({@code --add-modules});
 * without it this class is never loaded.
 *
 * <p>Columns outer, classes inner: a lane's best, runner-up and label stay in registers across
 * the classes. Compare and blend rather than lanewise MAX: MAX would let a NaN win, where a
 * comparison with NaN is false and so leaves the lane as it was, as the scalar code does.
 */
final class VectorRowArgmax {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorRowArgmax() {
    }

    /**
     * @param values  {@code [class * width + column]}
     * @param label   out: the winning class per column (lowest on ties, never NaN)
     * @param lead    out: the winner's lead over the runner-up per column
     * @return the largest magnitude of any value of the row (NaN aside)
     */
    static float argmax(float[] values, int classes, int width, byte[] label, float[] lead) {
        int lanes = SPECIES.length();
        float[] labels = new float[lanes];
        FloatVector minusInfinity = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector plusInfinity = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);
        int bound = SPECIES.loopBound(width);
        int x = 0;
        // the largest of the columns' magnitudes, which is the scalar path's max(|lowest|, |highest|)
        // exactly; -1 while every column so far held NaN only
        float magnitude = -1f;
        // no vector lives across columns: C2 (17) keeps a vector carried through the outer loop
        // in memory, which made a row-wide lowest cost as much as the rest together
        for (; x < bound; x += lanes) {
            FloatVector best = minusInfinity;
            FloatVector second = minusInfinity;
            FloatVector lowest = plusInfinity;
            // class indices as floats (exact up to 2^24): one blend, no mask cast to an int species
            FloatVector arg = FloatVector.zero(SPECIES);
            for (int c = 0, p = x; c < classes; c++, p += width) {
                FloatVector v = FloatVector.fromArray(SPECIES, values, p);
                VectorMask<Float> ahead = v.compare(VectorOperators.GT, best);
                second = second.blend(v, v.compare(VectorOperators.GT, second)).blend(best, ahead);
                best = best.blend(v, ahead);
                arg = arg.blend(c, ahead);
                lowest = lowest.blend(v, v.compare(VectorOperators.LT, lowest));
            }
            // a column's magnitude is that of its lowest or its best value (no NaN reaches either);
            // a column of NaN only (lowest still above best) has none: -1
            float chunk = lowest.abs().max(best.abs()).blend(-1f, lowest.compare(VectorOperators.GT, best))
                    .reduceLanes(VectorOperators.MAX);
            if (chunk > magnitude) {
                magnitude = chunk;
            }
            best.sub(second).intoArray(lead, x);
            arg.intoArray(labels, 0);
            for (int i = 0; i < lanes; i++) {
                label[x + i] = (byte) (int) labels[i];
            }
        }
        for (; x < width; x++) {
            float best = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            float lowest = Float.POSITIVE_INFINITY;
            int arg = 0;
            for (int c = 0, p = x; c < classes; c++, p += width) {
                float v = values[p];
                if (v > best) {
                    second = best;
                    best = v;
                    arg = c;
                } else if (v > second) {
                    second = v;
                }
                if (v < lowest) {
                    lowest = v;
                }
            }
            if (lowest <= best) {
                magnitude = Math.max(magnitude, Math.max(Math.abs(lowest), Math.abs(best)));
            }
            label[x] = (byte) arg;
            lead[x] = best - second;
        }
        // NaN only, where the scalar path's lowest stays at +infinity
        return magnitude < 0f ? Float.POSITIVE_INFINITY : magnitude;
    }
}
