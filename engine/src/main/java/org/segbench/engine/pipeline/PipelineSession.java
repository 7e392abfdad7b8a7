package org.segbench.engine.pipeline;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.segbench.engine.Knob;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.onnx.OnnxModelFile;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX Runtime session for a {@link SegmentationModel}, opened with the pipeline's
 * {@link SessionTuning} and fed through reused tensors: the image tensor wraps a pooled direct
 * buffer (ONNX Runtime reads it in place, no copy) and logits are written into a pinned, pooled
 * output tensor, so a run allocates nothing big on the Java side.
 *
 * <p>It is a second session next to the model's own because {@code SegmentationModel} keeps its
 * session private and allocates its tensors and results per call; the model still supplies
 * metadata, knobs, the chosen output and the input size rule. Knob values are read from the model
 * on every run, so knobs set on it apply here too. One run at a time (the pipeline's inference
 * stage is a single thread).
 */
public final class PipelineSession implements AutoCloseable {
    private final SegmentationModel model;
    private final SessionTuning tuning;
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final Set<String> outputNames;
    private final Map<String, OnnxTensor> knobTensors = new HashMap<>();
    private final Map<String, Float> knobTensorValues = new HashMap<>();

    private PipelineSession(SegmentationModel model, SessionTuning tuning, OrtEnvironment env,
                            OrtSession.SessionOptions options, OrtSession session) {
        this.model = model;
        this.tuning = tuning;
        this.env = env;
        this.options = options;
        this.session = session;
        this.outputNames = Set.of(model.output().name());
    }

    /** Opens a session on the model's file with the given tuning (and the model's provider). */
    public static PipelineSession open(SegmentationModel model, SessionTuning tuning) throws SegbenchException {
        byte[] runnable;
        try {
            OnnxModelFile file = OnnxModelFile.parse(Files.readAllBytes(model.path()));
            // same rewrite as SegmentationModel: knobs become plain inputs the Java API can feed;
            // without knobs the file is opened by path, so external weight files next to it are found
            runnable = file.knobDefaults().isEmpty() ? null : file.withoutInitializers(file.knobDefaults().keySet());
        } catch (IOException e) {
            throw new SegbenchException(model.path(), "cannot read the model again: " + e.getMessage());
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setInterOpNumThreads(1);
            // 0 leaves ONNX Runtime's default (one thread per core); the model's own thread option
            // is not inherited: callers often load the model with 1 thread because its session idles
            if (tuning.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(tuning.intraOpThreads());
            }
            so.addConfigEntry("session.intra_op.allow_spinning", tuning.spinning() ? "1" : "0");
            so.addConfigEntry("session.inter_op.allow_spinning", tuning.spinning() ? "1" : "0");
            so.setCPUArenaAllocator(tuning.arena());
            so.setMemoryPatternOptimization(tuning.memoryPattern());
            if (model.provider() == Provider.CUDA) {
                so.addCUDA(0);
            }
            OrtSession session = runnable == null ? env.createSession(model.path().toString(), so)
                    : env.createSession(runnable, so);
            return new PipelineSession(model, tuning, env, so, session);
        } catch (OrtException e) {
            so.close();
            throw new SegbenchException(model.path(), "ONNX Runtime cannot open it for the pipeline: " + e.getMessage(), e);
        }
    }

    public SegmentationModel model() {
        return model;
    }

    public SessionTuning tuning() {
        return tuning;
    }

    /** A tensor over a direct, native-order buffer holding {@code 1 x 3 x H x W} floats; no copy. */
    public OnnxTensor imageTensor(FloatBuffer direct, Size size) throws SegbenchException {
        return tensor(direct, new long[] {1, 3, size.height(), size.width()});
    }

    /** A tensor over a direct buffer, for pinned outputs; no copy. */
    public OnnxTensor tensor(FloatBuffer direct, long[] shape) throws SegbenchException {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("ONNX Runtime would copy a heap buffer: pass a direct one");
        }
        try {
            return OnnxTensor.createTensor(env, direct, shape);
        } catch (OrtException e) {
            throw new SegbenchException(model.path(), "cannot make a tensor " + Arrays.toString(shape) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs once and returns the result (the caller closes it). For the first run, whose output
     * shape is not known yet, and for label-map outputs.
     */
    public OrtSession.Result run(OnnxTensor image) throws SegbenchException {
        try {
            return session.run(feed(image), outputNames);
        } catch (OrtException e) {
            throw failure(e);
        }
    }

    /** Runs once, writing the chosen output into {@code pinnedOutput} (a tensor of the right shape). */
    public void runInto(OnnxTensor image, OnnxTensor pinnedOutput) throws SegbenchException {
        try {
            // the result holds no values of its own when every requested output is pinned
            session.run(feed(image), Set.of(), Map.of(model.output().name(), pinnedOutput)).close();
        } catch (OrtException e) {
            throw failure(e);
        }
    }

    private Map<String, OnnxTensor> feed(OnnxTensor image) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        feed.put(model.imageInput().name(), image);
        for (Knob k : model.knobs()) {
            feed.put(k.name(), knobTensor(k));
        }
        return feed;
    }

    /** The knob's tensor, remade only when its value changed on the model. */
    private OnnxTensor knobTensor(Knob k) throws OrtException {
        float value;
        try {
            value = model.knob(k.name());
        } catch (SegbenchException e) {
            value = k.defaultValue();
        }
        OnnxTensor t = knobTensors.get(k.name());
        Float old = knobTensorValues.get(k.name());
        if (t == null || old == null || old != value) {
            if (t != null) {
                t.close();
            }
            long[] shape = model.inputs().stream().filter(p -> p.name().equals(k.name())).findFirst()
                    .map(p -> p.shape()).orElse(new long[0]);
            long[] concrete = new long[shape.length];
            Arrays.fill(concrete, 1);
            t = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {value}), concrete);
            knobTensors.put(k.name(), t);
            knobTensorValues.put(k.name(), value);
        }
        return t;
    }

    private SegbenchException failure(OrtException e) {
        String m = e.getMessage() == null ? "unknown error" : e.getMessage().strip().split("\n", 2)[0];
        return new SegbenchException(model.path(), "inference failed: " + m, e);
    }

    /** The knob names fed on every run (for logs). */
    public List<String> knobNames() {
        return model.knobs().stream().map(Knob::name).toList();
    }

    @Override
    public void close() {
        knobTensors.values().forEach(OnnxTensor::close);
        knobTensors.clear();
        try {
            session.close();
        } catch (OrtException e) {
            // closing: nothing useful to do with the failure
        }
        options.close();
    }
}
