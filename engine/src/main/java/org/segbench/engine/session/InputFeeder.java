package org.segbench.engine.session;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import org.segbench.engine.Knob;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.Size;
import org.segbench.engine.TensorPort;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What goes into one run of a {@link ModelSession}: the image tensor and a tensor per knob. Knob
 * tensors are kept and remade only when the knob's value changes; the values are read from the
 * model's {@link KnobValues} on every run, so a knob set on the model applies to every session on
 * it. The image tensor's shape comes from the session's layout, the one place that knows it. Not
 * thread-safe: one per thread that runs the session.
 */
public final class InputFeeder implements AutoCloseable {
    private final ModelSession session;
    private final KnobValues values;
    private final Map<String, long[]> knobShapes = new HashMap<>();
    private final Map<String, OnnxTensor> knobTensors = new HashMap<>();
    private final Map<String, Float> fed = new HashMap<>();

    public InputFeeder(ModelSession session, KnobValues values) {
        this.session = session;
        this.values = values;
        for (TensorPort p : session.inputs()) {
            // a knob is one value; its input may be declared [] or [1] or [1, 1]
            long[] ones = new long[p.rank()];
            Arrays.fill(ones, 1);
            knobShapes.put(p.name(), ones);
        }
    }

    /** The knob values this feeder reads. */
    public KnobValues values() {
        return values;
    }

    /**
     * A tensor over a preprocessed frame ({@code C x H x W} floats in the session's layout). A direct
     * buffer is read in place by ONNX Runtime; for a float16 input the values are converted into a
     * half-precision buffer of the tensor's own (a tensor may outlive the next call: the pipeline
     * keeps several), so later changes to {@code values} do not reach it. The caller closes the tensor.
     */
    public OnnxTensor imageTensor(FloatBuffer values, Size size) throws SegbenchException {
        long[] shape = session.layout().shape(session.imageChannels(), size);
        try {
            if (session.imageType() == OnnxJavaType.FLOAT16) {
                return OnnxTensor.createTensor(session.env(), toHalf(values), shape, OnnxJavaType.FLOAT16);
            }
            return OnnxTensor.createTensor(session.env(), values, shape);
        } catch (OrtException e) {
            throw new SegbenchException(session.path(), "cannot make an input tensor " + Arrays.toString(shape)
                    + ": " + OrtErrors.firstLine(e), e);
        }
    }

    /** Whether {@link #imageTensor} reads the float buffer in place (float32), or a converted copy. */
    public boolean readsInPlace() {
        return session.imageType() == OnnxJavaType.FLOAT;
    }

    private static ShortBuffer toHalf(FloatBuffer values) {
        int n = values.remaining();
        ShortBuffer half = ByteBuffer.allocateDirect(Math.multiplyExact(n, Short.BYTES)).order(ByteOrder.nativeOrder())
                .asShortBuffer();
        int from = values.position();
        for (int i = 0; i < n; i++) {
            half.put(i, Fp16Conversions.floatToFp16(values.get(from + i)));
        }
        half.clear();
        return half;
    }

    /** The inputs of one run: this image and every knob at its current value. */
    Map<String, OnnxTensor> feed(OnnxTensor image) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        feed.put(session.imageInput().name(), image);
        for (Knob k : values.knobs()) {
            feed.put(k.name(), knobTensor(k));
        }
        return feed;
    }

    private OnnxTensor knobTensor(Knob k) throws OrtException {
        float value = values.current(k);
        OnnxTensor t = knobTensors.get(k.name());
        Float old = fed.get(k.name());
        if (t == null || old == null || old != value) {
            if (t != null) {
                t.close();
            }
            t = OnnxTensor.createTensor(session.env(), FloatBuffer.wrap(new float[] {value}), knobShapes.get(k.name()));
            knobTensors.put(k.name(), t);
            fed.put(k.name(), value);
        }
        return t;
    }

    @Override
    public void close() {
        knobTensors.values().forEach(OnnxTensor::close);
        knobTensors.clear();
        fed.clear();
    }
}
