package org.segbench.engine.onnx;

/**
 * float32 subnormals (nonzero, magnitude below 2^-126) in little-endian weight bytes. x86 CPUs
 * compute with them through a slow assist path, and ONNX Runtime's CPU kernels do not set
 * flush-to-zero on the calling thread: the published CamVid ESPNet holds 10,610 such weights
 * (filters that weight decay shrank to nothing), which made its CPU inference three times slower.
 * Zero in their place changes the outputs by no more than float rounding.
 */
final class SubnormalFloats {
    private static final int EXPONENT = 0x7f80_0000;
    private static final int MANTISSA = 0x007f_ffff;

    private SubnormalFloats() {
    }

    static boolean isSubnormal(int bits) {
        return (bits & EXPONENT) == 0 && (bits & MANTISSA) != 0;
    }

    /** How many of the floats in {@code le} (4 bytes each, little-endian) are subnormal. */
    static int count(byte[] le) {
        int n = 0;
        for (int i = 0; i + 3 < le.length; i += 4) {
            if (isSubnormal(bits(le, i))) {
                n++;
            }
        }
        return n;
    }

    /** A copy of {@code le} with each subnormal float replaced by zero of the same sign. */
    static byte[] flushed(byte[] le) {
        byte[] out = le.clone();
        for (int i = 0; i + 3 < out.length; i += 4) {
            if (isSubnormal(bits(out, i))) {
                // keep the sign byte's top bit, clear the rest
                out[i] = 0;
                out[i + 1] = 0;
                out[i + 2] = 0;
                out[i + 3] &= (byte) 0x80;
            }
        }
        return out;
    }

    private static int bits(byte[] le, int i) {
        return (le[i] & 0xFF) | (le[i + 1] & 0xFF) << 8 | (le[i + 2] & 0xFF) << 16 | (le[i + 3] & 0xFF) << 24;
    }
}
