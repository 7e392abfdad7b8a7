package org.segbench.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.segbench.engine.onnx.OnnxModelFile;
import org.segbench.engine.pipeline.LabelMapDecoder;
import org.segbench.engine.pipeline.LogitsDecoder;
import org.segbench.engine.pipeline.Preprocessor;
import org.segbench.engine.source.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded ONNX segmentation model: the ONNX Runtime session, its metadata, its knobs and the
 * chosen segmentation output. Open with {@link #load}, run with {@link #predict}, close when done
 * (try-with-resources). See {@code docs/engine.md}.
 *
 * <p>{@link #predict} is synchronized: one frame at a time per model (it reuses its input buffer).
 * Knobs may be changed from any thread; the change applies to the next prediction.
 */
public final class SegmentationModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationModel.class);
    private static final int SIZE_MULTIPLE = 32;

    private final Path path;
    private final ModelOptions options;
    private final OnnxModelFile file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions sessionOptions;
    private final Provider provider;
    private final String providerNote;
    private final TensorPort imageInput;
    private final List<TensorPort> inputs;
    private final List<TensorPort> outputs;
    private final TensorPort output;
    private final OutputKind outputKind;
    private final int classCount;
    private final ModelMetadata metadata;
    private final List<Knob> knobs;
    private final Map<String, Float> knobValues = new ConcurrentHashMap<>();
    private final Map<String, long[]> knobShapes = new HashMap<>();
    private final Preprocessor preprocessor;
    // logits shape per input size, learnt on the first run at that size, so later runs can pin
    private final Map<Size, long[]> logitsShapes = new HashMap<>();
    private FloatBuffer pinnedBuffer;
    private OnnxTensor pinnedTensor;
    private long[] pinnedShape;

    private SegmentationModel(Path path, ModelOptions options, OnnxModelFile file, OrtEnvironment env,
                              OrtSession session, OrtSession.SessionOptions sessionOptions, Provider provider,
                              String providerNote) throws SegbenchException, OrtException {
        this.path = path;
        this.options = options;
        this.file = file;
        this.env = env;
        this.session = session;
        this.sessionOptions = sessionOptions;
        this.provider = provider;
        this.providerNote = providerNote;

        Map<String, Float> knobDefaults = file.knobDefaults();
        List<TensorPort> ins = new ArrayList<>();
        TensorPort image = null;
        for (NodeInfo n : session.getInputInfo().values()) {
            TensorPort port = port(n);
            ins.add(port);
            if (knobDefaults.containsKey(n.getName())) {
                knobShapes.put(n.getName(), port.shape());
            } else if (image == null && isImageLike(n)) {
                image = port;
            } else {
                throw new SegbenchException(path, "input '" + n.getName() + "' " + port.type() + port.shapeText()
                        + " is neither the image nor a scalar with a default");
            }
        }
        if (image == null) {
            throw new SegbenchException(path, "no image-like input (need float32 N x 3 x H x W); inputs: " + ins);
        }
        this.imageInput = image;
        this.inputs = List.copyOf(ins);
        List<Knob> ks = new ArrayList<>();
        knobDefaults.forEach((name, value) -> {
            if (knobShapes.containsKey(name)) {
                ks.add(new Knob(name, value));
                knobValues.put(name, value);
            }
        });
        this.knobs = List.copyOf(ks);

        List<TensorPort> outs = new ArrayList<>();
        TensorPort chosen = null;
        OutputKind kind = null;
        for (NodeInfo n : session.getOutputInfo().values()) {
            TensorPort port = port(n);
            outs.add(port);
            OutputKind k = segmentationKind(n);
            boolean wanted = options.output().map(n.getName()::equals).orElse(chosen == null && k != null);
            if (wanted) {
                if (k == null) {
                    throw new SegbenchException(path, "output '" + n.getName() + "' " + port.type() + port.shapeText()
                            + " is not segmentation-shaped (N x C x h x w logits or N x h x w labels)");
                }
                chosen = port;
                kind = k;
            }
        }
        this.outputs = List.copyOf(outs);
        if (chosen == null) {
            throw new SegbenchException(path, options.output().isPresent()
                    ? "no output named '" + options.output().get() + "'; outputs: " + outs
                    : "no segmentation-shaped output (N x C x h x w logits or N x h x w labels); outputs: " + outs);
        }
        this.output = chosen;
        this.outputKind = kind;

        int c = kind == OutputKind.LOGITS ? (int) chosen.shape()[1] : -1;
        if (kind == OutputKind.LOGITS && c < 0) {
            c = probeClassCount();
        }
        ModelMetadata meta = ModelMetadata.find(path, file.metadata(), c);
        if (c < 0) {
            c = meta.labels().size();
        }
        if (kind == OutputKind.LOGITS && c > 256) {
            throw new SegbenchException(path, c + " classes: more than the 256 a label map holds");
        }
        if (options.dataset().isPresent()) {
            LabelSet forced;
            try {
                forced = LabelSet.forDataset(options.dataset().get());
            } catch (IllegalArgumentException e) {
                throw new SegbenchException(e.getMessage());
            }
            if (forced.size() != c) {
                throw new SegbenchException(path, "model has " + c + " classes, dataset "
                        + forced.dataset() + " has " + forced.size());
            }
            meta = meta.withLabels(forced);
        }
        if (options.mean() != null || options.std() != null) {
            meta = meta.withNormalisation(options.mean() != null ? options.mean() : meta.mean(),
                    options.std() != null ? options.std() : meta.std());
        }
        this.classCount = c;
        this.metadata = meta;
        this.preprocessor = new Preprocessor(meta.mean(), meta.std());
        for (Map.Entry<String, Float> e : options.knobs().entrySet()) {
            setKnob(e.getKey(), e.getValue());
        }
    }

    /** Runs a zero image once to learn a dynamic class dimension. */
    private int probeClassCount() throws SegbenchException, OrtException {
        Size probe = fixedInputSize().or(options::inputSize).orElse(new Size(64, 64));
        FloatBuffer zeros = FloatBuffer.allocate(3 * probe.height() * probe.width());
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            feed.put(imageInput.name(), OnnxTensor.createTensor(env, zeros,
                    new long[] {1, 3, probe.height(), probe.width()}));
            addKnobs(feed);
            try (OrtSession.Result r = session.run(feed, Set.of(output.name()))) {
                long c = ((OnnxTensor) r.get(0)).getInfo().getShape()[1];
                if (c < 2) {
                    throw new SegbenchException(path, "output '" + output.name() + "' has " + c
                            + " channel(s): not class scores");
                }
                return (int) c;
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** Loads a model with default options (provider auto, all threads). */
    public static SegmentationModel load(Path onnx) throws SegbenchException {
        return load(onnx, ModelOptions.defaults());
    }

    /**
     * Loads and checks a model.
     *
     * @throws SegbenchException naming the file: missing, not ONNX, no image-like input, no
     *                           segmentation-shaped output, metadata that disagrees with the graph,
     *                           or CUDA asked for explicitly and not available
     */
    public static SegmentationModel load(Path onnx, ModelOptions options) throws SegbenchException {
        OpenCv.load();
        if (!Files.isRegularFile(onnx)) {
            throw new SegbenchException(onnx, "no such model file");
        }
        OnnxModelFile file;
        byte[] runnable;
        try {
            file = OnnxModelFile.parse(Files.readAllBytes(onnx));
            // knobs must be real inputs for the Java API to accept them (see OnnxModelFile)
            runnable = file.withoutInitializers(file.knobDefaults().keySet());
        } catch (IOException e) {
            throw new SegbenchException(onnx, "not an ONNX model (" + e.getMessage() + ")");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = null;
        try {
            so = new OrtSession.SessionOptions();
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (options.threads() > 0) {
                so.setIntraOpNumThreads(options.threads());
            }
            Provider used = Provider.CPU;
            String note = "CPU requested";
            if (options.provider() != Provider.CPU) {
                try {
                    so.addCUDA(0);
                    used = Provider.CUDA;
                    note = "CUDA";
                } catch (OrtException | UnsatisfiedLinkError e) {
                    if (options.provider() == Provider.CUDA) {
                        throw new SegbenchException(onnx, "CUDA not available: " + oneLine(e.getMessage()));
                    }
                    note = "CUDA not available (" + oneLine(e.getMessage()) + "), using CPU";
                    LOG.info("{}: {}", onnx.getFileName(), note);
                }
            }
            OrtSession session;
            try {
                // unchanged bytes: open by path, so weights stored as external data next to it are found
                session = runnable == file.bytes() ? env.createSession(onnx.toString(), so)
                        : env.createSession(runnable, so);
            } catch (OrtException e) {
                throw new SegbenchException(onnx, "ONNX Runtime cannot load it: " + oneLine(e.getMessage()), e);
            }
            try {
                return new SegmentationModel(onnx, options, file, env, session, so, used, note);
            } catch (SegbenchException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            if (so != null) {
                so.close();
            }
            throw new SegbenchException(onnx, "ONNX Runtime: " + oneLine(e.getMessage()), e);
        } catch (SegbenchException | RuntimeException e) {
            if (so != null) {
                so.close();
            }
            throw e;
        }
    }

    /**
     * Why CUDA cannot be used here, or empty when the CUDA provider can be added (the GPU build of
     * ONNX Runtime with CUDA 12 and cuDNN 9 present). For a UI that offers the switch. Checked once.
     */
    public static Optional<String> cudaUnavailableReason() {
        return CudaCheck.REASON;
    }

    private static final class CudaCheck {
        static final Optional<String> REASON = check();

        private static Optional<String> check() {
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.addCUDA(0);
                return Optional.empty();
            } catch (OrtException | UnsatisfiedLinkError e) {
                return Optional.of(oneLine(e.getMessage()));
            }
        }
    }

    /** The model file. */
    public Path path() {
        return path;
    }

    /** Display name: metadata {@code name}, else the file name. */
    public String name() {
        return metadata.name();
    }

    public ModelOptions options() {
        return options;
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** Class names, palette and ignore index in effect (metadata, sidecar, defaults or override). */
    public LabelSet labels() {
        return metadata.labels();
    }

    public int classCount() {
        return classCount;
    }

    /** The provider actually in use. */
    public Provider provider() {
        return provider;
    }

    /** Why this provider: {@code "CUDA"}, {@code "CPU requested"}, or the reason CUDA fell back. */
    public String providerNote() {
        return providerNote;
    }

    /** The image input. */
    public TensorPort imageInput() {
        return imageInput;
    }

    /** All inputs ONNX Runtime sees: the image and the knobs. */
    public List<TensorPort> inputs() {
        return inputs;
    }

    public List<TensorPort> outputs() {
        return outputs;
    }

    /** The output predictions come from. */
    public TensorPort output() {
        return output;
    }

    public OutputKind outputKind() {
        return outputKind;
    }

    /** Sum of the element counts of all initializers in the file. */
    public long parameterCount() {
        return file.parameterCount();
    }

    /** The input size baked into the graph, if H and W are fixed. */
    public Optional<Size> fixedInputSize() {
        long[] s = imageInput.shape();
        return s[2] > 0 && s[3] > 0 ? Optional.of(new Size((int) s[2], (int) s[3])) : Optional.empty();
    }

    /**
     * The network input size for a frame: the fixed size, else the {@code inputSize} option, else
     * the frame's own size when it is the model's declared {@code input_size} (the size it was
     * trained and validated at, e.g. CamVid's 360x480), else the frame size rounded to a multiple
     * of 32.
     */
    public Size inputSizeFor(Size frame) {
        return fixedInputSize().or(options::inputSize)
                .or(() -> metadata.inputSize().filter(frame::equals))
                .orElseGet(() -> frame.roundedTo(SIZE_MULTIPLE));
    }

    /** A size for synthetic runs (bench, warm-up): fixed, option, metadata {@code input_size}, else 360x480. */
    public Size defaultInputSize() {
        return fixedInputSize().or(options::inputSize).or(metadata::inputSize).orElse(new Size(360, 480));
    }

    /** Knobs with their defaults, in file order. */
    public List<Knob> knobs() {
        return knobs;
    }

    /** Current value of a knob. */
    public float knob(String name) throws SegbenchException {
        Float v = knobValues.get(name);
        if (v == null) {
            throw new SegbenchException(path, "no knob named '" + name + "'" + knobList());
        }
        return v;
    }

    /** Sets a knob for the next predictions. */
    public void setKnob(String name, float value) throws SegbenchException {
        if (!knobValues.containsKey(name)) {
            throw new SegbenchException(path, "no knob named '" + name + "'" + knobList());
        }
        knobValues.put(name, value);
    }

    /** Puts every knob back to its default. */
    public void resetKnobs() {
        knobs.forEach(k -> knobValues.put(k.name(), k.defaultValue()));
    }

    /** Runs the model on a frame. */
    public Prediction predict(Frame frame) throws SegbenchException {
        return predict(frame.bgr());
    }

    /**
     * Runs the model on an 8-bit BGR image: preprocess, inference, postprocess. The labels come
     * back at the image's own resolution.
     */
    public synchronized Prediction predict(Mat bgr) throws SegbenchException {
        long t0 = System.nanoTime();
        Size source = new Size(bgr.rows(), bgr.cols());
        Size in = inputSizeFor(source);
        FloatBuffer input = preprocessor.apply(bgr, in);
        long t1 = System.nanoTime();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            feed.put(imageInput.name(), OnnxTensor.createTensor(env, input, new long[] {1, 3, in.height(), in.width()}));
            addKnobs(feed);
            LabelMap labels = LabelMap.blank(source.width(), source.height());
            boolean wantScores = options.scores() && outputKind == OutputKind.LOGITS;
            ScoreMap scores = null;
            long[] known = outputKind == OutputKind.LOGITS ? logitsShapes.get(in) : null;
            long t2;
            if (known != null) {
                // logits of a known shape: ONNX Runtime writes them into our reused buffer
                OnnxTensor pinned = pinnedLogits(known);
                // pinned outputs are not also "requested" ones
                try (OrtSession.Result ignored = session.run(feed, Set.of(), Map.of(output.name(), pinned))) {
                    t2 = System.nanoTime();
                }
                checkClassCount(known);
                int h = (int) known[2];
                int w = (int) known[3];
                if (wantScores) {
                    // the score map keeps its own copy of the logits (the pinned buffer is reused)
                    float[] kept = new float[pinnedBuffer.capacity()];
                    pinnedBuffer.get(0, kept, 0, kept.length);
                    LogitsDecoder.decode(kept, 0, classCount, h, w, labels.height(), labels.width(), labels.labels(), null);
                    scores = ScoreMap.of(kept, classCount, h, w, labels.height(), labels.width());
                } else {
                    LogitsDecoder.decodeLabels(pinnedBuffer, 0, classCount, h, w, labels.height(), labels.width(),
                            labels.labels());
                }
            } else {
                try (OrtSession.Result result = session.run(feed, Set.of(output.name()))) {
                    t2 = System.nanoTime();
                    OnnxTensor out = (OnnxTensor) result.get(0);
                    if (outputKind == OutputKind.LOGITS) {
                        logitsShapes.put(in, out.getInfo().getShape());
                    }
                    scores = decode(out, labels, wantScores);
                }
            }
            long t3 = System.nanoTime();
            return new Prediction(labels, scores, in, new Timings(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2)));
        } catch (OrtException e) {
            throw new SegbenchException(path, "inference failed at input " + in + ": " + oneLine(e.getMessage()), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** The reused output tensor for logits of this shape (remade when the shape changes). */
    private OnnxTensor pinnedLogits(long[] shape) throws OrtException {
        if (pinnedTensor == null || !java.util.Arrays.equals(pinnedShape, shape)) {
            if (pinnedTensor != null) {
                pinnedTensor.close();
            }
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            pinnedBuffer = java.nio.ByteBuffer.allocateDirect(Math.toIntExact(n * Float.BYTES))
                    .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
            pinnedTensor = OnnxTensor.createTensor(env, pinnedBuffer, shape);
            pinnedShape = shape.clone();
        }
        return pinnedTensor;
    }

    /**
     * Only the {@code session.run} of a prepared {@code 1 x 3 x H x W} input, outputs discarded:
     * the raw ONNX Runtime time that end-to-end figures are compared with.
     *
     * @return milliseconds spent in {@code session.run}
     */
    public synchronized double runSession(FloatBuffer nchw, Size inputSize) throws SegbenchException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            feed.put(imageInput.name(),
                    OnnxTensor.createTensor(env, nchw, new long[] {1, 3, inputSize.height(), inputSize.width()}));
            addKnobs(feed);
            long t0 = System.nanoTime();
            try (OrtSession.Result ignored = session.run(feed, Set.of(output.name()))) {
                return ms(System.nanoTime() - t0);
            }
        } catch (OrtException e) {
            throw new SegbenchException(path, "inference failed: " + oneLine(e.getMessage()), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** Runs {@code runs} predictions on a grey frame of {@code size} so that timings exclude start-up. */
    public void warmUp(Size size, int runs) throws SegbenchException {
        Mat grey = new Mat(size.height(), size.width(), CvType.CV_8UC3, new Scalar(128, 128, 128));
        try {
            for (int i = 0; i < runs; i++) {
                predict(grey);
            }
        } finally {
            grey.release();
        }
    }

    @Override
    public synchronized void close() {
        if (pinnedTensor != null) {
            pinnedTensor.close();
        }
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("{}: closing the session failed: {}", path, e.getMessage());
        }
        sessionOptions.close();
    }

    @Override
    public String toString() {
        return name() + " (" + path.getFileName() + ", " + classCount + " classes, " + provider + ")";
    }

    private void addKnobs(Map<String, OnnxTensor> feed) throws OrtException {
        for (Knob k : knobs) {
            long[] shape = knobShapes.get(k.name());
            long[] concrete = new long[shape.length];
            java.util.Arrays.fill(concrete, 1);
            feed.put(k.name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {knobValues.get(k.name())}),
                    concrete));
        }
    }

    /** Labels into {@code labels}; returns the score map when asked for and the output is logits. */
    private ScoreMap decode(OnnxTensor tensor, LabelMap labels, boolean wantScores) throws SegbenchException {
        long[] shape = tensor.getInfo().getShape();
        int h = (int) shape[shape.length - 2];
        int w = (int) shape[shape.length - 1];
        if (outputKind == OutputKind.LOGITS) {
            checkClassCount(shape);
            FloatBuffer fb = tensor.getFloatBuffer();  // a copy of the output, ours to keep
            float[] logits;
            int offset;
            if (fb.hasArray()) {
                logits = fb.array();
                offset = fb.arrayOffset();
            } else {
                logits = new float[fb.remaining()];
                fb.get(logits);
                offset = 0;
            }
            LogitsDecoder.decode(logits, offset, classCount, h, w, labels.height(), labels.width(), labels.labels(), null);
            if (!wantScores) {
                return null;
            }
            if (offset != 0 || logits.length != classCount * h * w) {
                logits = java.util.Arrays.copyOfRange(logits, offset, offset + classCount * h * w);
            }
            return ScoreMap.of(logits, classCount, h, w, labels.height(), labels.width());
        } else {
            long[] values = new long[h * w];
            OnnxJavaType type = tensor.getInfo().type;
            switch (type) {
                case INT64 -> {
                    LongBuffer b = tensor.getLongBuffer();
                    b.get(values);
                }
                case INT32 -> {
                    IntBuffer b = tensor.getIntBuffer();
                    for (int i = 0; i < values.length; i++) {
                        values[i] = b.get(i);
                    }
                }
                case UINT8, INT8 -> {
                    java.nio.ByteBuffer b = tensor.getByteBuffer();
                    for (int i = 0; i < values.length; i++) {
                        values[i] = type == OnnxJavaType.UINT8 ? b.get(i) & 0xFF : b.get(i);
                    }
                }
                default -> throw new SegbenchException(path, "label map of type " + type + " is not supported");
            }
            LabelMapDecoder.decode(values, h, w, labels.height(), labels.width(), labels.labels());
            return null;
        }
    }

    private void checkClassCount(long[] shape) throws SegbenchException {
        int c = (int) shape[1];
        if (c != classCount) {
            throw new SegbenchException(path, "output has " + c + " classes at run time, expected " + classCount);
        }
    }

    private static boolean isImageLike(NodeInfo n) {
        if (!(n.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            return false;
        }
        long[] s = t.getShape();
        return s.length == 4 && (s[1] == 3 || s[1] < 0);
    }

    private static OutputKind segmentationKind(NodeInfo n) {
        if (!(n.getInfo() instanceof TensorInfo t)) {
            return null;
        }
        long[] s = t.getShape();
        boolean integer = t.type == OnnxJavaType.INT64 || t.type == OnnxJavaType.INT32 || t.type == OnnxJavaType.UINT8
                || t.type == OnnxJavaType.INT8;
        // a dynamic class dimension (-1) is resolved by a probe run at load
        if (t.type == OnnxJavaType.FLOAT && s.length == 4 && (s[1] > 1 || s[1] < 0)) {
            return OutputKind.LOGITS;
        }
        if (integer && (s.length == 3 || (s.length == 4 && s[1] == 1))) {
            return OutputKind.LABEL_MAP;
        }
        return null;
    }

    private static TensorPort port(NodeInfo n) {
        if (n.getInfo() instanceof TensorInfo t) {
            return new TensorPort(n.getName(), t.type.toString().toLowerCase(), t.getShape());
        }
        return new TensorPort(n.getName(), n.getInfo().toString(), new long[0]);
    }

    private String knobList() {
        return knobs.isEmpty() ? " (the model has no knobs)"
                : "; knobs: " + String.join(", ", knobs.stream().map(Knob::name).toList());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String s = message.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
