package org.segbench.engine;

import ai.onnxruntime.OnnxTensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.segbench.engine.frame.ChannelOrder;
import org.segbench.engine.frame.Preprocessor;
import org.segbench.engine.frame.TensorLayout;
import org.segbench.engine.session.CudaSupport;
import org.segbench.engine.session.InputFeeder;
import org.segbench.engine.session.KnobValues;
import org.segbench.engine.session.ModelSession;
import org.segbench.engine.session.NetworkOutput;
import org.segbench.engine.session.OutputDecoder;
import org.segbench.engine.session.ParsedModel;
import org.segbench.engine.session.SessionRunner;
import org.segbench.engine.session.SessionTuning;
import org.segbench.engine.source.Frame;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded ONNX segmentation model: the ONNX Runtime session, its metadata, its knobs and the
 * chosen segmentation output. Open with {@link #load}, run with {@link #predict}, close when done
 * (try-with-resources). See {@code docs/engine.md}.
 *
 * <p>Opening, feeding and decoding are the {@code session} package's, shared with the threaded
 * pipeline ({@link #openRunner}); this class adds the metadata, the input size rule and the
 * single-frame {@code predict}.
 *
 * <p>{@link #predict} is synchronized: one frame at a time per model (it reuses its buffers).
 * Knobs may be changed from any thread; the change applies to the next prediction.
 */
public final class SegmentationModel implements AutoCloseable {
    private static final int SIZE_MULTIPLE = 32;

    private final ParsedModel parsed;
    private final ModelOptions options;
    private final ModelSession session;
    private final KnobValues knobs;
    private final SessionRunner runner;
    private final ModelMetadata metadata;
    private final ChannelOrder channelOrder;
    private final Preprocessor preprocessor;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationModel.class);
    private final NetworkOutput outputBuffer;
    /** Output buffers for {@link #infer}: two, so one frame can be finished while the next runs. */
    private final OutputBuffers staged;
    private long predictions;
    private volatile String nonFinite;

    private SegmentationModel(ParsedModel parsed, ModelOptions options, ModelSession session, int expectedClasses)
            throws SegbenchException {
        Path path = parsed.path();
        this.parsed = parsed;
        this.options = options;
        this.session = session;
        this.knobs = new KnobValues(path, session.knobs());
        InputFeeder feeder = new InputFeeder(session, knobs);
        try {
            OutputDecoder.Choice chosen = OutputDecoder.choose(session, options.output(), expectedClasses);
            int c = chosen.kind() == OutputKind.LOGITS ? logitsClassCount(session, feeder, chosen) : -1;
            ModelMetadata found = ModelMetadata.find(path, parsed.file().metadata(), c);
            if (c < 0) {
                c = found.labels().size();
            }
            ModelMetadata meta = withOverrides(found, options, c, path);
            byte[] relabel = null;
            if (options.classMap().isPresent()) {
                ClassMap.Applied applied = applyClassMap(options, found.labels());
                meta = meta.withLabels(applied.labels());
                relabel = applied.table();
            }
            this.metadata = meta;
            this.channelOrder = options.channelOrder().or(meta::declaredChannelOrder).orElse(ChannelOrder.RGB);
            this.runner = new SessionRunner(session, feeder, new OutputDecoder(path, chosen, c, relabel));
            this.outputBuffer = runner.newOutput();
            this.staged = new OutputBuffers(path, runner::newOutput, 2);
            this.preprocessor = newPreprocessor();
            for (Map.Entry<String, Float> e : options.knobs().entrySet()) {
                setKnob(e.getKey(), e.getValue());
            }
        } catch (SegbenchException | RuntimeException e) {
            feeder.close();
            throw e;
        }
    }

    /** The logits' class count: as the graph declares it, else found by one probe run. */
    private int logitsClassCount(ModelSession session, InputFeeder feeder, OutputDecoder.Choice chosen)
            throws SegbenchException {
        int c = OutputDecoder.declaredClassCount(session, chosen);
        if (c < 0) {
            Size probe = fixedInputSize().or(options::inputSize).orElse(new Size(64, 64));
            c = OutputDecoder.probeClassCount(session, feeder, chosen, probe);
        }
        if (c > 256) {
            throw new SegbenchException(session.path(), c + " classes: more than the 256 a label map holds");
        }
        return c;
    }

    /**
     * The model's own metadata with the user's {@code --dataset} and {@code --mean/--std} applied. A
     * model with one class more than the dataset gets the dataset's classes plus {@code void}
     * (docs/void-classes.md). With a class map the dataset is the map's target instead.
     */
    private static ModelMetadata withOverrides(ModelMetadata meta, ModelOptions options, int classCount, Path path)
            throws SegbenchException {
        if (options.dataset().isPresent() && options.classMap().isEmpty()) {
            LabelSet forced = dataset(options.dataset().get());
            if (!forced.scoresModelWith(classCount)) {
                throw new SegbenchException(path, "model has " + classCount + " classes, dataset "
                        + forced.dataset() + " has " + forced.size());
            }
            meta = meta.withLabels(classCount == forced.size() ? forced : forced.withVoid("void"));
        }
        if (options.mean() != null || options.std() != null) {
            meta = meta.withNormalisation(options.mean() != null ? options.mean() : meta.mean(),
                    options.std() != null ? options.std() : meta.std());
        }
        return meta;
    }

    /** The class map applied to the model's own labels, leading to the chosen dataset or the map's own. */
    private static ClassMap.Applied applyClassMap(ModelOptions options, LabelSet modelLabels)
            throws SegbenchException {
        ClassMap map = options.classMap().get();
        Optional<String> target = options.dataset().or(map::to);
        if (target.isEmpty()) {
            throw new SegbenchException(map.file(), "the class map names no dataset: add \"to\" (JSON) or"
                    + " \"# to: camvid\" (CSV), or give the dataset (--classes)");
        }
        return map.apply(modelLabels, dataset(target.get()));
    }

    private static LabelSet dataset(String name) throws SegbenchException {
        try {
            return LabelSet.forDataset(name);
        } catch (IllegalArgumentException e) {
            throw new SegbenchException(e.getMessage());
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
        ParsedModel parsed = ParsedModel.read(onnx);
        // what must be known before the session opens: the layout, and a class count that helps detect it
        Map<String, String> declared = ModelMetadata.declared(onnx, parsed.file().metadata());
        Optional<TensorLayout> layout = options.layout().or(() -> declaredLayout(declared));
        ModelSession session = ModelSession.open(parsed, SessionTuning.model(options.threads()), options.provider(),
                layout);
        try {
            return new SegmentationModel(parsed, options, session, expectedClasses(declared, options));
        } catch (SegbenchException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static Optional<TensorLayout> declaredLayout(Map<String, String> declared) {
        try {
            return Optional.ofNullable(declared.get("layout")).map(TensorLayout::parse);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // reported with the file by ModelMetadata.find
        }
    }

    /** The class count the metadata lists, else the forced dataset's; -1 when neither says. */
    private static int expectedClasses(Map<String, String> declared, ModelOptions options) {
        if (declared.containsKey("classes")) {
            try {
                JsonNode classes = new ObjectMapper().readTree(declared.get("classes"));
                if (classes.isArray()) {
                    return classes.size();
                }
            } catch (IOException e) {
                return -1; // reported with the file by ModelMetadata.find
            }
        }
        if (options.dataset().isPresent() && options.classMap().isEmpty()) {
            try {
                return LabelSet.forDataset(options.dataset().get()).size();
            } catch (IllegalArgumentException e) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Why CUDA cannot be used here, or empty when the CUDA provider can be added (the GPU build of
     * ONNX Runtime with CUDA 12 and cuDNN 9 present). For a UI that offers the switch. Checked once.
     */
    public static Optional<String> cudaUnavailableReason() {
        return CudaSupport.unavailableReason();
    }

    /**
     * Another session on this model's parsed file, provider, knobs and output, opened with other
     * options: the threaded pipeline's. Knobs set here apply to it. The caller closes it.
     */
    public SessionRunner openRunner(SessionTuning tuning) throws SegbenchException {
        return runner.reopen(tuning);
    }

    /** The model file. */
    public Path path() {
        return parsed.path();
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
        return runner.decoder().classCount();
    }

    /** Where the image input keeps its channels (NCHW or NHWC, given or detected). */
    public TensorLayout inputLayout() {
        return session.layout();
    }

    /** Where the chosen output keeps its classes (NCHW or NHWC, given or detected). */
    public TensorLayout outputLayout() {
        return runner.decoder().layout();
    }

    /** Whether the layout was given (option or metadata {@code layout}) rather than detected from the shapes. */
    public boolean layoutGiven() {
        return session.forcedLayout().isPresent();
    }

    /** The colour order the network is fed in (option, metadata {@code channel_order}, else RGB). */
    public ChannelOrder channelOrder() {
        return channelOrder;
    }

    /**
     * A new preprocessor for this model: its normalisation, layout, channel order and channel count.
     * For a caller that prepares frames on its own thread (the pipeline); not thread-safe itself.
     */
    public Preprocessor newPreprocessor() {
        return new Preprocessor(metadata.mean(), metadata.std(), session.layout(), channelOrder,
                session.imageChannels());
    }

    /** The provider actually in use. */
    public Provider provider() {
        return session.provider().provider();
    }

    /** Why this provider: {@code "CUDA"}, {@code "CPU requested"}, or the reason CUDA fell back. */
    public String providerNote() {
        return session.provider().note();
    }

    /** The image input. */
    public TensorPort imageInput() {
        return session.imageInput();
    }

    /** All inputs ONNX Runtime sees: the image and the knobs. */
    public List<TensorPort> inputs() {
        return session.inputs();
    }

    public List<TensorPort> outputs() {
        return session.outputs();
    }

    /** The output predictions come from. */
    public TensorPort output() {
        return runner.decoder().output();
    }

    public OutputKind outputKind() {
        return runner.decoder().kind();
    }

    /** Sum of the element counts of all initializers in the file. */
    public long parameterCount() {
        return parsed.file().parameterCount();
    }

    /** float32 weights that are subnormal in the file; sessions get them as zero (see {@link ParsedModel}). */
    public long subnormalWeights() {
        return parsed.file().subnormalWeights();
    }

    /** Whether the sessions' weights had their subnormal values flushed to zero. */
    public boolean subnormalsFlushed() {
        return parsed.flushesSubnormals();
    }

    /** The input size baked into the graph, if H and W are fixed. */
    public Optional<Size> fixedInputSize() {
        long[] s = session.imageInput().shape();
        long h = session.layout().height(s);
        long w = session.layout().width(s);
        return h > 0 && w > 0 ? Optional.of(new Size((int) h, (int) w)) : Optional.empty();
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
        return knobs.knobs();
    }

    /** Current value of a knob. */
    public float knob(String name) throws SegbenchException {
        return knobs.get(name);
    }

    /** Sets a knob for the next predictions, here and in every runner opened on this model. */
    public void setKnob(String name, float value) throws SegbenchException {
        knobs.set(name, value);
    }

    /** Puts every knob back to its default. */
    public void resetKnobs() {
        knobs.reset();
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
        Ran ran = run(bgr, outputBuffer);
        return decode(outputBuffer, ran.source(), ran.in(), ran.preNanos(), ran.inferNanos(), ran.endNanos());
    }

    /**
     * The first half of {@link #predict}: preprocess and inference. The network's output waits in
     * one of two buffers this model keeps for the purpose until {@link InferredFrame#finish()}, the
     * second half, decodes it on whatever thread calls it. A caller that runs the halves on two
     * threads overlaps one frame's postprocessing with the next frame's inference, as the engine's
     * pipeline does. Blocks while both buffers hold frames not yet finished.
     */
    public InferredFrame infer(Mat bgr) throws SegbenchException {
        NetworkOutput out = staged.take();
        try {
            Ran ran;
            synchronized (this) {
                ran = run(bgr, out);
            }
            InferredFrame inferred = new InferredFrame(this, out, ran.source(), ran.in(), ran.preNanos(),
                    ran.inferNanos());
            out = null;
            return inferred;
        } finally {
            if (out != null) {
                staged.give(out);
            }
        }
    }

    /** What one run through the network took, and at which sizes. */
    private record Ran(Size source, Size in, long preNanos, long inferNanos, long endNanos) { }

    /** Preprocess and inference of one frame into {@code out}; the caller holds this model's lock. */
    private Ran run(Mat bgr, NetworkOutput out) throws SegbenchException {
        long t0 = System.nanoTime();
        Size source = new Size(bgr.rows(), bgr.cols());
        Size in = inputSizeFor(source);
        try (OnnxTensor image = runner.imageTensor(preprocessor.apply(bgr, in), in)) {
            long t1 = System.nanoTime();
            runner.run(image, in, out);
            long t2 = System.nanoTime();
            return new Ran(source, in, t1 - t0, t2 - t1, t2);
        }
    }

    /** {@link InferredFrame#finish()}: decodes a staged output and hands its buffer back. */
    Prediction finish(InferredFrame f, NetworkOutput out) {
        try {
            return decode(out, f.source(), f.inputSize(), f.preprocessNanos(), f.inferenceNanos(), System.nanoTime());
        } finally {
            staged.give(out);
        }
    }

    /** An inferred frame that will not be finished: its buffer goes back unread. */
    void discard(NetworkOutput out) {
        staged.give(out);
    }

    private Prediction decode(NetworkOutput out, Size source, Size in, long preNanos, long inferNanos, long t2) {
        LabelMap labels = LabelMap.blank(source.width(), source.height());
        ScoreMap scores = out.decode(labels, options.scores());
        checkScores(out);
        long t3 = System.nanoTime();
        return new Prediction(labels, scores, in, new Timings(ms(preNanos), ms(inferNanos), ms(t3 - t2)));
    }

    /**
     * Looks for NaN or infinite scores on the first frames and then on every 100th (a full pass
     * over the logits costs about as much as the argmax), and warns once per model, naming it.
     */
    private void checkScores(NetworkOutput out) {
        long frame;
        synchronized (staged) {
            frame = predictions++;
        }
        if (nonFinite != null || (frame >= 10 && frame % 100 != 0) || !out.hasNonFiniteScores()) {
            return;
        }
        nonFinite = "the model's scores contain NaN or infinite values (first seen on frame " + (frame + 1)
                + "): its labels there are arbitrary";
        LOG.warn("{}: {}", path().getFileName(), nonFinite);
    }

    /** Set once this model has produced NaN or infinite scores: what the warning said. */
    public Optional<String> nonFiniteWarning() {
        return Optional.ofNullable(nonFinite);
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
        outputBuffer.close();
        staged.close();
        runner.close();
    }

    @Override
    public String toString() {
        return name() + " (" + path().getFileName() + ", " + classCount() + " classes, " + provider() + ")";
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
