package org.segbench.engine.frame;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The argmax of {@link LogitsRow} with the JDK's incubating Vector API: the same comparisons in
 * the same order, one column per lane, so every label, lead and the magnitude are bit for bit
 * those of {@link LogitsRow#argmaxScalar}. Only {@link LogitsRow} calls it, and only when the
 * module {@code jdk.incubator.vector} is in the boot layer ({@code --add-modules}); without it this
 * class is never loaded.
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
     * @param values {@code [class * width + column]}
     * @param label  out: the winning class per column (lowest on ties, never NaN)
     * @param lead   out: the winner's lead over the runner-up per column
     * @return the largest magnitude of any value of the row (NaN aside)
     */
    static float argmax(float[] values, int classes, int width, byte[] label, float[] lead) {
        int lanes = SPECIES.length();
        float[] labels = new float[lanes];
        FloatVector none = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector lowestLanes = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);
        FloatVector highestLanes = none;
        int bound = SPECIES.loopBound(width);
        int x = 0;
        for (; x < bound; x += lanes) {
            FloatVector best = none;
            FloatVector second = none;
            // class indices as floats (exact up to 2^24): one blend, no mask cast to an int species
            FloatVector arg = FloatVector.zero(SPECIES);
            for (int c = 0, p = x; c < classes; c++, p += width) {
                FloatVector v = FloatVector.fromArray(SPECIES, values, p);
                VectorMask<Float> ahead = v.compare(VectorOperators.GT, best);
                second = second.blend(v, v.compare(VectorOperators.GT, second)).blend(best, ahead);
                best = best.blend(v, ahead);
                arg = arg.blend(c, ahead);
                lowestLanes = lowestLanes.blend(v, v.compare(VectorOperators.LT, lowestLanes));
            }
            highestLanes = highestLanes.blend(best, best.compare(VectorOperators.GT, highestLanes));
            best.sub(second).intoArray(lead, x);
            arg.intoArray(labels, 0);
            for (int i = 0; i < lanes; i++) {
                label[x + i] = (byte) (int) labels[i];
            }
        }
        // NaN never reaches the lanes, so the order of this reduction does not matter (a signed
        // zero may differ, which the absolute values below remove)
        float lowest = Float.POSITIVE_INFINITY;
        float highest = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < lanes; i++) {
            lowest = Math.min(lowest, lowestLanes.lane(i));
            highest = Math.max(highest, highestLanes.lane(i));
        }
        for (; x < width; x++) {
            float best = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
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
            if (best > highest) {
                highest = best;
            }
            label[x] = (byte) arg;
            lead[x] = best - second;
        }
        return Math.max(Math.abs(lowest), Math.abs(highest));
    }
}
