package org.segbench.engine.session;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LogitsPool;
import org.segbench.engine.ScoreMap;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.frame.LabelMapDecoder;
import org.segbench.engine.frame.LogitsDecoder;
import org.segbench.engine.frame.TensorLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One network output, held in buffers reused from run to run: logits in a direct buffer under a
 * pinned tensor that ONNX Runtime writes straight into; logits copied out of a result (the first
 * run at an input size, before the shape is known; and every run of a float16, bfloat16, double or
 * NHWC output, which the copy converts to float32 class planes); or the class indices of a label
 * map, of any integer type. {@link #decode} is the one postprocessing path of the engine: to the
 * source frame's size, argmax, a class map when there is one, and the scores when asked. Buffers are
 * remade only when the shape changes.
 */
public final class NetworkOutput implements AutoCloseable {
    private enum Held { NOTHING, PINNED_LOGITS, COPIED_LOGITS, LABELS }

    private final TensorLayout layout;
    private final byte[] relabel;
    private Held held = Held.NOTHING;
    // what is held, as class planes: classes (1 for a label map) x h x w
    private int classes;
    private int h;
    private int w;
    private long[] pinnedShape = new long[0];
    private FloatBuffer direct;
    private OnnxTensor pinned;
    private float[] logits = new float[0];
    private long[] labelValues = new long[0];
    private final LogitsPool keptLogits = new LogitsPool();

    NetworkOutput(TensorLayout layout) {
        this(layout, null);
    }

    /**
     * @param layout  where the output keeps its channels
     * @param relabel 256-entry table applied to the decoded labels (a class map), or null
     */
    NetworkOutput(TensorLayout layout, byte[] relabel) {
        this.layout = layout;
        this.relabel = relabel;
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
        dimensions(pinnedShape);
        held = Held.PINNED_LOGITS;
        return pinned;
    }

    /**
     * Takes the values of a result tensor: float scores of any precision (converted to float32 class
     * planes, transposed from NHWC), or integer class indices.
     */
    void copyFrom(OnnxTensor result) throws SegbenchException {
        long[] s = result.getInfo().getShape();
        int n = elements(s);
        OnnxJavaType type = result.getInfo().type;
        dimensions(s);
        switch (type) {
            case FLOAT -> takeScores(n, result.getFloatBuffer());
            case DOUBLE -> {
                DoubleBuffer d = result.getDoubleBuffer();
                FloatBuffer f = FloatBuffer.allocate(n);
                for (int i = 0; i < n; i++) {
                    f.put(i, (float) d.get(i));
                }
                takeScores(n, f);
            }
            case FLOAT16, BFLOAT16 -> {
                ShortBuffer half = result.getShortBuffer();
                FloatBuffer f = FloatBuffer.allocate(n);
                boolean fp16 = type == OnnxJavaType.FLOAT16;
                for (int i = 0; i < n; i++) {
                    short v = half.get(i);
                    f.put(i, fp16 ? Fp16Conversions.fp16ToFloat(v) : Fp16Conversions.bf16ToFloat(v));
                }
                takeScores(n, f);
            }
            case INT64 -> result.getLongBuffer().get(labelValues(n), 0, n);
            case INT32 -> {
                long[] v = labelValues(n);
                IntBuffer b = result.getIntBuffer();
                for (int i = 0; i < n; i++) {
                    v[i] = b.get(i);
                }
            }
            case INT16 -> {
                long[] v = labelValues(n);
                ShortBuffer b = result.getShortBuffer();
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
    }

    /** Float scores into the class planes the decoder reads: a straight copy for NCHW, a transpose for NHWC. */
    private void takeScores(int n, FloatBuffer values) {
        if (logits.length < n) {
            logits = new float[n];
        }
        if (layout == TensorLayout.NCHW) {
            values.get(0, logits, 0, n);
        } else {
            int plane = h * w;
            float[] out = logits;
            int c = classes;
            IntStream.range(0, h).parallel().forEach(y -> {
                for (int p = y * w, end = p + w; p < end; p++) {
                    int from = p * c;
                    for (int k = 0; k < c; k++) {
                        out[k * plane + p] = values.get(from + k);
                    }
                }
            });
        }
        held = Held.COPIED_LOGITS;
    }

    private void dimensions(long[] shape) {
        classes = (int) layout.channels(shape);
        h = (int) layout.height(shape);
        w = (int) layout.width(shape);
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
        if (held == Held.LABELS) {
            LabelMapDecoder.decode(labelValues, h, w, target.height(), target.width(), target.labels());
            relabel(target);
            return null;
        }
        FloatBuffer values = held == Held.PINNED_LOGITS ? direct : FloatBuffer.wrap(logits);
        LogitsDecoder.decodeLabels(values, 0, classes, h, w, target.height(), target.width(), target.labels());
        relabel(target);
        if (!withScores) {
            return null;
        }
        // the buffers here are reused by the next run: the score map keeps a copy, in an array
        // that comes back here when the map is released
        float[] kept = keptLogits.take(classes * h * w);
        values.get(0, kept, 0, kept.length);
        return ScoreMap.of(kept, classes, h, w, target.height(), target.width(), keptLogits);
    }

    /**
     * Whether the scores held now contain NaN or an infinity: such a model's labels are not a
     * segmentation (argmax over NaN picks an arbitrary class), and the caller should say so.
     * False for label maps.
     */
    public boolean hasNonFiniteScores() {
        if (held != Held.PINNED_LOGITS && held != Held.COPIED_LOGITS) {
            return false;
        }
        FloatBuffer values = held == Held.PINNED_LOGITS ? direct : FloatBuffer.wrap(logits);
        int n = classes * h * w;
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(values.get(i))) {
                return true;
            }
        }
        return false;
    }

    private void relabel(LabelMap target) {
        if (relabel == null) {
            return;
        }
        byte[] labels = target.labels();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = relabel[labels[i] & 0xFF];
        }
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

    /** An output larger than one Java buffer (2 GB) can hold: the caller names the file and the fix. */
    static final class TooLarge extends IllegalArgumentException {
        TooLarge(long[] shape, long elements) {
            super(String.format("the output %s is %,d values, over the %,d one buffer holds",
                    Arrays.toString(shape), elements, Integer.MAX_VALUE / Float.BYTES));
        }
    }

    private static int elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE / Float.BYTES) {
            throw new TooLarge(shape, n);
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
