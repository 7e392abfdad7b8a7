package org.segbench.engine.pipeline;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import org.segbench.engine.SegbenchException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One pooled network output. For logits, a direct buffer with a pinned ONNX tensor over it (ONNX
 * Runtime writes the logits straight in, the decoder reads them there); for the first run at a size
 * (shape not known yet) the logits copied out of the result; for label-map outputs, the class
 * indices copied out of the result. Reallocated only when the output shape changes.
 */
final class OutputSlot implements AutoCloseable {
    private long[] shape = new long[0];
    private FloatBuffer direct;
    private OnnxTensor pinned;
    private float[] logits = new float[0];
    private long[] labelValues = new long[0];
    private boolean fromPinned;

    /** The pinned tensor for this shape, made (once) over a direct buffer. */
    OnnxTensor pinned(PipelineSession session, long[] outShape) throws SegbenchException {
        if (pinned == null || !Arrays.equals(shape, outShape)) {
            close();
            int n = elements(outShape);
            direct = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            pinned = session.tensor(direct, outShape);
            shape = outShape.clone();
        }
        fromPinned = true;
        return pinned;
    }

    /** Takes the values of an unpinned result tensor (first run at a size, label-map outputs). */
    void copyFrom(OnnxTensor result) throws SegbenchException {
        long[] s = result.getInfo().getShape();
        int n = elements(s);
        shape = s.clone();
        fromPinned = false;
        OnnxJavaType type = result.getInfo().type;
        switch (type) {
            case FLOAT -> {
                ensureLogits(n);
                result.getFloatBuffer().get(logits, 0, n);
            }
            case INT64 -> {
                ensureValues(n);
                result.getLongBuffer().get(labelValues, 0, n);
            }
            case INT32 -> {
                ensureValues(n);
                var b = result.getIntBuffer();
                for (int i = 0; i < n; i++) {
                    labelValues[i] = b.get(i);
                }
            }
            case UINT8, INT8 -> {
                ensureValues(n);
                ByteBuffer b = result.getByteBuffer();
                for (int i = 0; i < n; i++) {
                    labelValues[i] = type == OnnxJavaType.UINT8 ? b.get(i) & 0xFF : b.get(i);
                }
            }
            default -> throw new SegbenchException("output of type " + type + " is not supported");
        }
    }

    /** The logits where they are: the pinned direct buffer ONNX Runtime wrote, or the copied array. */
    FloatBuffer logits() {
        return fromPinned ? direct : FloatBuffer.wrap(logits);
    }

    long[] labelValues() {
        return labelValues;
    }

    long[] shape() {
        return shape;
    }

    private void ensureLogits(int n) {
        if (logits.length < n) {
            logits = new float[n];
        }
    }

    private void ensureValues(int n) {
        if (labelValues.length < n) {
            labelValues = new long[n];
        }
    }

    static int elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("output too large: " + Arrays.toString(shape));
        }
        return (int) n;
    }

    @Override
    public void close() {
        if (pinned != null) {
            pinned.close();
            pinned = null;
        }
    }
}
