package org.segbench.engine.session;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import org.segbench.engine.LabelMap;
import org.segbench.engine.ScoreMap;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.frame.LabelMapDecoder;
import org.segbench.engine.frame.LogitsDecoder;
import org.segbench.engine.frame.TensorLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * One network output, held in buffers reused from run to run: logits in a direct buffer under a
 * pinned tensor that ONNX Runtime writes straight into; logits copied out of a result (the first
 * run at an input size, before the shape is known); or the class indices of a label map, of any
 * integer type. {@link #decode} is the one postprocessing path of the engine: to the source frame's
 * size, argmax, and the scores when asked. Buffers are remade only when the shape changes.
 */
public final class NetworkOutput implements AutoCloseable {
    private enum Held { NOTHING, PINNED_LOGITS, COPIED_LOGITS, LABELS }

    private final TensorLayout layout;
    private Held held = Held.NOTHING;
    private long[] shape = new long[0];
    private long[] pinnedShape = new long[0];
    private FloatBuffer direct;
    private OnnxTensor pinned;
    private float[] logits = new float[0];
    private long[] labelValues = new long[0];

    NetworkOutput(TensorLayout layout) {
        this.layout = layout;
    }

    /** The pinned tensor for logits of this shape, made once over a direct buffer; the next run fills it. */
    OnnxTensor pinned(OrtEnvironment env, long[] logitsShape) throws OrtException {
        if (pinned == null || !Arrays.equals(pinnedShape, logitsShape)) {
            close();
            direct = ByteBuffer.allocateDirect(Math.multiplyExact(elements(logitsShape), Float.BYTES))
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            pinned = OnnxTensor.createTensor(env, direct, logitsShape);
            pinnedShape = logitsShape.clone();
        }
        shape = pinnedShape;
        held = Held.PINNED_LOGITS;
        return pinned;
    }

    /** Takes the values of a result tensor: float logits, or integer class indices. */
    void copyFrom(OnnxTensor result) throws SegbenchException {
        long[] s = result.getInfo().getShape();
        int n = elements(s);
        OnnxJavaType type = result.getInfo().type;
        switch (type) {
            case FLOAT -> {
                if (logits.length < n) {
                    logits = new float[n];
                }
                result.getFloatBuffer().get(logits, 0, n);
                held = Held.COPIED_LOGITS;
            }
            case INT64 -> result.getLongBuffer().get(labelValues(n), 0, n);
            case INT32 -> {
                long[] v = labelValues(n);
                IntBuffer b = result.getIntBuffer();
                for (int i = 0; i < n; i++) {
                    v[i] = b.get(i);
                }
            }
            case UINT8, INT8 -> {
                long[] v = labelValues(n);
                ByteBuffer b = result.getByteBuffer();
                int mask = type == OnnxJavaType.UINT8 ? 0xFF : -1;
                for (int i = 0; i < n; i++) {
                    v[i] = b.get(i) & mask;
                }
            }
            default -> throw new SegbenchException("output of type " + type + " is not supported");
        }
        shape = s;
    }

    /**
     * The labels at {@code target}'s size: bilinear logits and argmax, or the nearest label of a
     * label map.
     *
     * @param withScores also compute the score map (logits only)
     * @return the score map, with its own copy of the logits; null for label maps or without scores
     */
    public ScoreMap decode(LabelMap target, boolean withScores) {
        if (held == Held.NOTHING) {
            throw new IllegalStateException("no output held yet");
        }
        int h = (int) layout.height(shape);
        int w = (int) layout.width(shape);
        if (held == Held.LABELS) {
            LabelMapDecoder.decode(labelValues, h, w, target.height(), target.width(), target.labels());
            return null;
        }
        int classes = (int) layout.channels(shape);
        FloatBuffer values = held == Held.PINNED_LOGITS ? direct : FloatBuffer.wrap(logits);
        LogitsDecoder.decodeLabels(values, 0, classes, h, w, target.height(), target.width(), target.labels());
        if (!withScores) {
            return null;
        }
        // the buffers here are reused by the next run: the score map keeps a copy
        float[] kept = new float[classes * h * w];
        values.get(0, kept, 0, kept.length);
        return ScoreMap.of(kept, classes, h, w, target.height(), target.width());
    }

    /** The direct buffer ONNX Runtime writes logits into (for tests checking reuse); null before. */
    FloatBuffer pinnedBuffer() {
        return direct;
    }

    private long[] labelValues(int n) {
        if (labelValues.length < n) {
            labelValues = new long[n];
        }
        held = Held.LABELS;
        return labelValues;
    }

    private static int elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("output too large for one buffer: " + Arrays.toString(shape));
        }
        return (int) n;
    }

    @Override
    public void close() {
        if (pinned != null) {
            pinned.close();
            pinned = null;
            direct = null;
            pinnedShape = new long[0];
            if (held == Held.PINNED_LOGITS) {
                held = Held.NOTHING;
            }
        }
    }
}
