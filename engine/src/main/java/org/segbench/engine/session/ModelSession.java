package org.segbench.engine.session;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.segbench.engine.Knob;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.TensorPort;
import org.segbench.engine.frame.TensorLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One ONNX Runtime session on a {@link ParsedModel}: opened with a {@link SessionTuning}, on a
 * provider chosen with its reason, and with the graph's inputs sorted into the image and the knobs
 * (scalar inputs with a default). A model may hold several (its own, the pipeline's), because
 * ONNX Runtime fixes the options when a session is created.
 */
public final class ModelSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSession.class);

    private final ParsedModel model;
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final SessionTuning tuning;
    private final ProviderChoice provider;
    private final Optional<TensorLayout> forcedLayout;
    private final TensorLayout layout;
    private final OnnxJavaType imageType;
    private final TensorPort imageInput;
    private final List<TensorPort> inputs;
    private final List<Knob> knobs;
    private final Map<String, TensorInfo> outputInfo = new LinkedHashMap<>();
    private final List<TensorPort> outputs;

    /** The provider a session runs on, and why: {@code "CUDA"}, {@code "CPU requested"}, or why CUDA fell back. */
    public record ProviderChoice(Provider provider, String note) {
    }

    private ModelSession(ParsedModel model, OrtEnvironment env, OrtSession.SessionOptions options,
                         OrtSession session, SessionTuning tuning, ProviderChoice provider,
                         Optional<TensorLayout> forcedLayout)
            throws SegbenchException, OrtException {
        this.forcedLayout = forcedLayout;
        this.model = model;
        this.env = env;
        this.options = options;
        this.session = session;
        this.tuning = tuning;
        this.provider = provider;

        Map<String, Float> defaults = model.file().knobDefaults();
        List<TensorPort> ins = new ArrayList<>();
        Set<String> knobInputs = new HashSet<>();
        TensorPort image = null;
        TensorLayout imageLayout = forcedLayout.orElse(TensorLayout.NCHW);
        OnnxJavaType type = OnnxJavaType.FLOAT;
        for (NodeInfo n : session.getInputInfo().values()) {
            TensorPort port = port(n);
            ins.add(port);
            Optional<TensorLayout> asImage = imageLayout(n, forcedLayout);
            if (defaults.containsKey(n.getName())) {
                knobInputs.add(n.getName());
            } else if (image == null && asImage.isPresent()) {
                image = port;
                imageLayout = asImage.get();
                type = ((TensorInfo) n.getInfo()).type;
            } else {
                String given = forcedLayout.map(l -> " (layout " + l.key() + " given: 1 or 3 channels expected at axis "
                        + (l == TensorLayout.NCHW ? 1 : 3) + ")").orElse("");
                throw new SegbenchException(model.path(), "input '" + n.getName() + "' " + port.type()
                        + port.shapeText() + " is neither the image nor a scalar with a default" + given);
            }
        }
        if (image == null) {
            throw new SegbenchException(model.path(), "no image-like input (need float32 or float16 N x 3 x H x W"
                    + " or N x H x W x 3); inputs: " + ins);
        }
        this.imageInput = image;
        this.layout = imageLayout;
        this.imageType = type;
        this.inputs = List.copyOf(ins);
        List<Knob> ks = new ArrayList<>();
        defaults.forEach((name, value) -> {
            if (knobInputs.contains(name)) {
                ks.add(new Knob(name, value));
            }
        });
        this.knobs = List.copyOf(ks);
        List<TensorPort> outs = new ArrayList<>();
        for (NodeInfo n : session.getOutputInfo().values()) {
            outs.add(port(n));
            if (n.getInfo() instanceof TensorInfo t) {
                outputInfo.put(n.getName(), t);
            }
        }
        this.outputs = List.copyOf(outs);
    }

    /**
     * Opens a session.
     *
     * @param provider {@code AUTO} tries CUDA and falls back to CPU, noting why
     * @throws SegbenchException naming the file: ONNX Runtime cannot load it, CUDA asked for and
     *                           not available, or inputs that are neither the image nor knobs
     */
    public static ModelSession open(ParsedModel model, SessionTuning tuning, Provider provider)
            throws SegbenchException {
        return open(model, tuning, provider, Optional.empty());
    }

    /**
     * Opens a session whose tensors are in {@code layout} when given, else in the layout detected
     * from the image input's shape ({@link TensorLayout#detectInput}).
     */
    public static ModelSession open(ParsedModel model, SessionTuning tuning, Provider provider,
                                    Optional<TensorLayout> layout) throws SegbenchException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            tuning.applyTo(so);
            SharedThreadPool.applyTo(so);
            ProviderChoice choice = chooseProvider(so, provider, model.path());
            OrtSession session = model.createSession(env, so);
            try {
                return new ModelSession(model, env, so, session, tuning, choice, layout);
            } catch (SegbenchException | OrtException | RuntimeException e) {
                closeQuietly(session);
                throw e;
            }
        } catch (OrtException e) {
            so.close();
            throw new SegbenchException(model.path(), "ONNX Runtime: " + OrtErrors.firstLine(e), e);
        } catch (SegbenchException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    private static ProviderChoice chooseProvider(OrtSession.SessionOptions so, Provider requested, Path path)
            throws SegbenchException {
        if (requested == Provider.CPU) {
            return new ProviderChoice(Provider.CPU, "CPU requested");
        }
        Optional<String> whyNot = CudaSupport.addTo(so);
        if (whyNot.isEmpty()) {
            return new ProviderChoice(Provider.CUDA, "CUDA");
        }
        if (requested == Provider.CUDA) {
            throw new SegbenchException(path, "CUDA not available: " + whyNot.get());
        }
        String note = "CUDA not available (" + whyNot.get() + "), using CPU";
        LOG.info("{}: {}", path.getFileName(), note);
        return new ProviderChoice(Provider.CPU, note);
    }

    public ParsedModel model() {
        return model;
    }

    public Path path() {
        return model.path();
    }

    public SessionTuning tuning() {
        return tuning;
    }

    public ProviderChoice provider() {
        return provider;
    }

    /** Where the image input keeps its channels. */
    public TensorLayout layout() {
        return layout;
    }

    /** The layout the user or the metadata asked for, if any (it applies to the outputs too). */
    public Optional<TensorLayout> forcedLayout() {
        return forcedLayout;
    }

    /** Channels of the image input: 3, or 1 for a grey input (a dynamic count is taken as 3). */
    public int imageChannels() {
        return layout.channels(imageInput.shape()) == 1 ? 1 : 3;
    }

    /** The image input's element type: FLOAT, or FLOAT16 (fed converted from float32). */
    public OnnxJavaType imageType() {
        return imageType;
    }

    public TensorPort imageInput() {
        return imageInput;
    }

    /** All inputs ONNX Runtime sees: the image and the knobs. */
    public List<TensorPort> inputs() {
        return inputs;
    }

    /** The knob inputs with their defaults, in file order. */
    public List<Knob> knobs() {
        return knobs;
    }

    public List<TensorPort> outputs() {
        return outputs;
    }

    /** An output's element type and shape; empty for outputs that are not tensors. */
    Optional<TensorInfo> outputInfo(String name) {
        return Optional.ofNullable(outputInfo.get(name));
    }

    OrtEnvironment env() {
        return env;
    }

    /** One run fetching {@code output}; the caller closes the result. */
    OrtSession.Result run(Map<String, OnnxTensor> feed, String output) throws OrtException {
        return session.run(feed, Set.of(output));
    }

    /** One run writing {@code output} into {@code pinned}, a tensor of its exact shape. */
    void runInto(Map<String, OnnxTensor> feed, String output, OnnxTensor pinned) throws OrtException {
        // the result holds no values of its own when every requested output is pinned
        session.run(feed, Set.of(), Map.of(output, pinned)).close();
    }

    @Override
    public void close() {
        closeQuietly(session);
        options.close();
    }

    /** The input's layout if it can take an image: float32 or float16, rank 4, 1 or 3 (or dynamic) channels. */
    private static Optional<TensorLayout> imageLayout(NodeInfo n, Optional<TensorLayout> forced) {
        if (!(n.getInfo() instanceof TensorInfo t) || t.getShape().length != 4
                || (t.type != OnnxJavaType.FLOAT && t.type != OnnxJavaType.FLOAT16)) {
            return Optional.empty();
        }
        TensorLayout l = forced.orElseGet(() -> TensorLayout.detectInput(t.getShape()));
        long c = l.channels(t.getShape());
        return c == 3 || c == 1 || c < 0 ? Optional.of(l) : Optional.empty();
    }

    static TensorPort port(NodeInfo n) {
        if (n.getInfo() instanceof TensorInfo t) {
            return new TensorPort(n.getName(), t.type.toString().toLowerCase(), t.getShape());
        }
        return new TensorPort(n.getName(), n.getInfo().toString(), new long[0]);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.debug("closing a session failed", e);
        }
    }
}
