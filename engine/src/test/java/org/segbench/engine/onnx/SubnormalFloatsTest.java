package org.segbench.engine.onnx;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

class SubnormalFloatsTest {
    private static byte[] le(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static float[] floats(byte[] le) {
        ByteBuffer b = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[le.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    @Test
    void onlyNonzeroValuesBelowTheNormalRangeCount() {
        float smallestNormal = Float.MIN_NORMAL;
        float largestSubnormal = Math.nextDown(Float.MIN_NORMAL);
        byte[] bytes = le(1e-40f, -1e-40f, Float.MIN_VALUE, largestSubnormal,
                smallestNormal, -smallestNormal, 0f, -0f, 1f, Float.NaN, Float.POSITIVE_INFINITY, 1e-30f);
        assertEquals(4, SubnormalFloats.count(bytes));
    }

    @Test
    void flushingZeroesSubnormalsKeepingTheirSignAndLeavesTheRest() {
        byte[] bytes = le(1e-40f, -1e-40f, Float.MIN_NORMAL, -2.5f, Float.NaN, 3e-39f);
        float[] out = floats(SubnormalFloats.flushed(bytes));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(out[0]));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[1]));
        assertEquals(Float.MIN_NORMAL, out[2]);
        assertEquals(-2.5f, out[3]);
        assertTrue(Float.isNaN(out[4]));
        assertEquals(0f, out[5]);
        assertEquals(0, SubnormalFloats.count(SubnormalFloats.flushed(bytes)));
        assertEquals(3, SubnormalFloats.count(bytes), "the input is not changed");
    }
}
