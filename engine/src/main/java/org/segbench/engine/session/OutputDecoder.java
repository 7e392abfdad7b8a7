package org.segbench.engine.session;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.segbench.engine.OutputKind;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.Size;
import org.segbench.engine.TensorPort;
import org.segbench.engine.frame.TensorLayout;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The segmentation output and how to take it from a run: which output it is and what it holds
 * (logits or an integer label map), the class count it must have, and the shape it has at each
 * input size. The first run at a size is copied out and teaches the shape; later runs at that size
 * have ONNX Runtime write the logits into a {@link NetworkOutput}'s pinned buffer. Not thread-safe:
 * each thread that runs a session has its own ({@link #fresh()}).
 */
public final class OutputDecoder {
    // ONNX Runtime's Java types: unsigned 16/32/64-bit outputs arrive as INT16/INT32/INT64
    private static final Set<OnnxJavaType> LABEL_TYPES = Set.of(OnnxJavaType.INT64, OnnxJavaType.INT32,
            OnnxJavaType.INT16, OnnxJavaType.UINT8, OnnxJavaType.INT8);
    private static final Set<OnnxJavaType> SCORE_TYPES = Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16,
            OnnxJavaType.BFLOAT16, OnnxJavaType.DOUBLE);

    private static final String SHAPES = "N x C x h x w or N x h x w x C scores, or N x h x w integer labels";

    private final Path model;
    private final TensorLayout layout;
    private final Choice choice;
    private final int classCount;
    private final byte[] relabel;
    private final boolean pinnable;
    // logits shape per input size, learnt from the first run at that size
    private final Map<Size, long[]> shapes = new HashMap<>();

    /** An output fit for segmentation, what it holds, and where its channels are. */
    public record Choice(TensorPort port, OutputKind kind, OnnxJavaType type, TensorLayout layout) {
    }

    /**
     * @param classCount classes the logits must have (checked on every unpinned run); for label maps
     *                   the label set's size, not checked
     */
    public OutputDecoder(Path model, Choice output, int classCount) {
        this(model, output, classCount, null);
    }

    /**
     * @param relabel a 256-entry table applied to every decoded label (a class map: model class to
     *                dataset class), or null
     */
    public OutputDecoder(Path model, Choice output, int classCount, byte[] relabel) {
        this.model = model;
        this.layout = output.layout();
        this.choice = output;
        this.classCount = classCount;
        this.relabel = relabel == null ? null : relabel.clone();
        // ONNX Runtime writes float32 NCHW straight into the planar buffer the decoder reads; other
        // element types and NHWC are converted (and transposed) on copy
        this.pinnable = output.kind() == OutputKind.LOGITS && output.type() == OnnxJavaType.FLOAT
                && layout == TensorLayout.NCHW;
    }

    /** The same output, with no shapes learnt: for another session or thread. */
    public OutputDecoder fresh() {
        return new OutputDecoder(model, choice, classCount, relabel);
    }

    /** As {@link #choose(ModelSession, Optional, int)} with no expected class count. */
    public static Choice choose(ModelSession session, Optional<String> named) throws SegbenchException {
        return choose(session, named, -1);
    }

    /**
     * The output to use: the one named, else the first segmentation-shaped one (float scores
     * {@code N x C x h x w} or {@code N x h x w x C}, or {@code N x h x w} / {@code N x 1 x h x w} /
     * {@code N x h x w x 1} integer labels). Its layout is the session's forced one if any, else
     * detected from its shape ({@link TensorLayout#detectOutput}).
     *
     * @param expectedClasses the class count the metadata or the chosen dataset implies; -1 if none.
     *                        It only helps tell NCHW from NHWC.
     */
    public static Choice choose(ModelSession session, Optional<String> named, int expectedClasses)
            throws SegbenchException {
        for (TensorPort port : session.outputs()) {
            Optional<TensorInfo> info = session.outputInfo(port.name());
            TensorLayout layout = info.map(t -> session.forcedLayout().orElseGet(() -> TensorLayout.detectOutput(
                    t.getShape(), LABEL_TYPES.contains(t.type) ? 1 : expectedClasses))).orElse(TensorLayout.NCHW);
            OutputKind k = info.map(t -> kindOf(t, layout)).orElse(null);
            if (named.isPresent() ? named.get().equals(port.name()) : k != null) {
                if (k == null) {
                    throw new SegbenchException(session.path(), "output '" + port.name() + "' " + port.type()
                            + port.shapeText() + " is not segmentation-shaped (" + SHAPES + ")");
                }
                return new Choice(port, k, info.get().type, layout);
            }
        }
        throw new SegbenchException(session.path(), named.isPresent()
                ? "no output named '" + named.get() + "'; outputs: " + session.outputs()
                : "no segmentation-shaped output (" + SHAPES + "); outputs: " + session.outputs());
    }

    private static OutputKind kindOf(TensorInfo t, TensorLayout layout) {
        long[] s = t.getShape();
        // a dynamic class dimension (-1) is resolved by a probe run at load
        if (SCORE_TYPES.contains(t.type) && s.length == 4 && (layout.channels(s) > 1 || layout.channels(s) < 0)) {
            return OutputKind.LOGITS;
        }
        if (LABEL_TYPES.contains(t.type) && (s.length == 3 || (s.length == 4 && layout.channels(s) == 1))) {
            return OutputKind.LABEL_MAP;
        }
        return null;
    }

    /** The class count the graph declares; -1 when dynamic, or for label maps. */
    public static int declaredClassCount(ModelSession session, Choice output) {
        return output.kind() == OutputKind.LOGITS ? (int) output.layout().channels(output.port().shape()) : -1;
    }

    /** Runs a zero image of {@code size} once to learn a dynamic class dimension. */
    public static int probeClassCount(ModelSession session, InputFeeder feeder, Choice output, Size size)
            throws SegbenchException {
        FloatBuffer zeros = FloatBuffer.allocate(session.imageChannels() * size.height() * size.width());
        try (OnnxTensor image = feeder.imageTensor(zeros, size);
             OrtSession.Result r = session.run(feeder.feed(image), output.port().name())) {
            long c = output.layout().channels(((OnnxTensor) r.get(0)).getInfo().getShape());
            if (c < 2) {
                throw new SegbenchException(session.path(), "output '" + output.port().name() + "' has " + c
                        + " channel(s): not class scores");
            }
            return (int) c;
        } catch (OrtException e) {
            throw new SegbenchException(session.path(), "probe run failed: " + OrtErrors.firstLine(e), e);
        }
    }

    public TensorPort output() {
        return choice.port();
    }

    public OutputKind kind() {
        return choice.kind();
    }

    public int classCount() {
        return classCount;
    }

    /** Where the output keeps its channels. */
    public TensorLayout layout() {
        return layout;
    }

    /** The class map's table (model class to dataset class), or null when labels are kept as decoded. */
    byte[] relabel() {
        return relabel;
    }

    /** The pinned tensor for a run at {@code inputSize}, or null while the shape there is unknown. */
    OnnxTensor pinnedTarget(OrtEnvironment env, Size inputSize, NetworkOutput into) throws OrtException {
        long[] known = pinnable ? shapes.get(inputSize) : null;
        return known == null ? null : into.pinned(env, known);
    }

    /** Takes an unpinned run's output: checks the class count, copies it, learns its shape. */
    void take(OnnxTensor result, Size inputSize, NetworkOutput into) throws SegbenchException {
        long[] shape = result.getInfo().getShape();
        if (choice.kind() == OutputKind.LOGITS && layout.channels(shape) != classCount) {
            throw new SegbenchException(model, "output has " + layout.channels(shape)
                    + " classes at run time, expected " + classCount);
        }
        into.copyFrom(result);
        if (pinnable) {
            shapes.put(inputSize, shape);
        }
    }
}
