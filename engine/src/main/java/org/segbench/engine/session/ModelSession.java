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
    private final TensorLayout layout = TensorLayout.NCHW;
    private final TensorPort imageInput;
    private final List<TensorPort> inputs;
    private final List<Knob> knobs;
    private final Map<String, TensorInfo> outputInfo = new LinkedHashMap<>();
    private final List<TensorPort> outputs;

    /** The provider a session runs on, and why: {@code "CUDA"}, {@code "CPU requested"}, or why CUDA fell back. */
    public record ProviderChoice(Provider provider, String note) {
    }

    private ModelSession(ParsedModel model, OrtEnvironment env, OrtSession.SessionOptions options,
                         OrtSession session, SessionTuning tuning, ProviderChoice provider)
            throws SegbenchException, OrtException {
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
        for (NodeInfo n : session.getInputInfo().values()) {
            TensorPort port = port(n);
            ins.add(port);
            if (defaults.containsKey(n.getName())) {
                knobInputs.add(n.getName());
            } else if (image == null && isImageLike(n)) {
                image = port;
            } else {
                throw new SegbenchException(model.path(), "input '" + n.getName() + "' " + port.type()
                        + port.shapeText() + " is neither the image nor a scalar with a default");
            }
        }
        if (image == null) {
            throw new SegbenchException(model.path(), "no image-like input (need float32 N x 3 x H x W); inputs: "
                    + ins);
        }
        this.imageInput = image;
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
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            tuning.applyTo(so);
            SharedThreadPool.applyTo(so);
            ProviderChoice choice = chooseProvider(so, provider, model.path());
            OrtSession session = model.createSession(env, so);
            try {
                return new ModelSession(model, env, so, session, tuning, choice);
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

    private boolean isImageLike(NodeInfo n) {
        if (!(n.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT || t.getShape().length != 4) {
            return false;
        }
        long c = layout.channels(t.getShape());
        return c == 3 || c < 0;
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
