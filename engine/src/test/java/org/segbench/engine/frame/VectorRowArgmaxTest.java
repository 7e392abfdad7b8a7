package org.segbench.engine.frame;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The argmax of a logits row on vector lanes ({@link VectorRowArgmax}) against the plain-Java one
 * ({@link LogitsRow#argmaxScalar}) that a JVM without {@code jdk.incubator.vector} runs: the same
 * labels, leads (bit for bit, NaN and signed zeros included) and magnitude, on real logits and on
 * rows made of ties, NaN, infinities and extremes, at widths that leave a tail past the last full
 * vector.
 */
class VectorRowArgmaxTest {
    @Test
    void testsRunWithTheVectorModule() {
        assertTrue(LogitsRow.VECTOR, "surefire's argLine adds --add-modules=jdk.incubator.vector (the pom's vector.module)");
    }

    @Test
    void realLogitsGetTheSameArgmaxOnBothPaths() throws Exception {
        // the ESPNet reference: 12 classes (void included) at the input size, 360 rows a frame
        List<RealLogits> frames = RealLogits.of("espnet_camvid.onnx", 12, 1);
        for (RealLogits l : frames) {
            FloatBuffer buf = l.values();
            int classes = l.classes();
            int w = l.w();
            float[] values = new float[classes * w];
            boolean[] seen = new boolean[classes];
            for (int y = 0; y < l.h(); y++) {
                for (int c = 0; c < classes; c++) {
                    buf.get(c * l.h() * w + y * w, values, c * w, w);
                }
                byte[] label = assertSameOnBothPaths(values, classes, w, l.what() + " row " + y);
                for (byte b : label) {
                    seen[b] = true;
                }
            }
            int distinct = 0;
            for (boolean s : seen) {
                distinct += s ? 1 : 0;
            }
            assertTrue(distinct >= 3, l.what() + ": a real scene has several classes");
        }
    }

    @Test
    void tiesNanInfinitiesAndExtremesGetTheSameArgmaxOnBothPaths() {
        float[] pool = {0f, -0f, 1f, -1f, 2f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, 0x1p126f, 3.5f};
        Random random = new Random(13);
        int[] classCounts = {1, 2, 3, 11, 19, 256};
        for (int classes : classCounts) {
            for (int w = 1; w <= 70; w += 3) {
                for (int trial = 0; trial < 20; trial++) {
                    float[] values = new float[classes * w];
                    // a few values per row, so that ties and repeats are common
                    int kinds = 1 + random.nextInt(pool.length);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = pool[random.nextInt(kinds)];
                    }
                    assertSameOnBothPaths(values, classes, w, classes + " classes, width " + w + ", trial " + trial);
                }
            }
        }
    }

    @Test
    void columnsAndRowsOfNanOnlyOrInfinitiesOnlyKeepTheScalarMagnitude() {
        int classes = 3;
        int w = 35;    // two full vectors of 16 and a tail (8: one and a tail)
        float[][] fills = {{Float.NaN}, {Float.NEGATIVE_INFINITY}, {Float.POSITIVE_INFINITY}, {Float.NaN, 2f}};
        for (float[] fill : fills) {
            for (int nanColumn : new int[] {-1, 0, 17, 34}) {
                float[] values = new float[classes * w];
                for (int i = 0; i < values.length; i++) {
                    values[i] = fill[(i / w) % fill.length];
                }
                if (nanColumn >= 0) {
                    for (int c = 0; c < classes; c++) {
                        values[c * w + nanColumn] = Float.NaN;
                    }
                }
                assertSameOnBothPaths(values, classes, w, java.util.Arrays.toString(fill) + ", NaN column " + nanColumn);
            }
        }
        float[] nan = new float[classes * w];
        java.util.Arrays.fill(nan, Float.NaN);
        byte[] scalarLabel = new byte[w];
        assertEquals(Float.POSITIVE_INFINITY,
                LogitsRow.argmaxScalar(nan, classes, w, scalarLabel, new float[w], new float[w]),
                "a NaN-only row has no bound: every pixel takes the full path");
    }

    @Test
    void theLastClassOfTwoHundredFiftySixIsLabel255() {
        int classes = 256;
        int w = 37;
        float[] values = new float[classes * w];
        for (int x = 0; x < w; x++) {
            values[255 * w + x] = 1f;
            values[254 * w + x] = Float.NaN;
        }
        byte[] label = assertSameOnBothPaths(values, classes, w, "class 255 ahead");
        for (byte b : label) {
            assertEquals(255, b & 0xFF);
        }
    }

    /** Runs both paths on one row and returns the labels they agree on. */
    private static byte[] assertSameOnBothPaths(float[] values, int classes, int w, String what) {
        byte[] scalarLabel = new byte[w];
        float[] scalarLead = new float[w];
        float scalarMagnitude = LogitsRow.argmaxScalar(values, classes, w, scalarLabel, scalarLead, new float[w]);
        byte[] vectorLabel = new byte[w];
        float[] vectorLead = new float[w];
        float vectorMagnitude = VectorRowArgmax.argmax(values, classes, w, vectorLabel, vectorLead);
        assertArrayEquals(scalarLabel, vectorLabel, what + ": labels");
        for (int x = 0; x < w; x++) {
            assertEquals(Float.floatToIntBits(scalarLead[x]), Float.floatToIntBits(vectorLead[x]),
                    what + ": lead at column " + x);
        }
        assertEquals(Float.floatToIntBits(scalarMagnitude), Float.floatToIntBits(vectorMagnitude),
                what + ": magnitude");
        return vectorLabel;
    }
}
