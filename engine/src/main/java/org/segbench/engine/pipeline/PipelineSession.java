package org.segbench.engine.pipeline;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.session.NetworkOutput;
import org.segbench.engine.session.SessionRunner;
import org.segbench.engine.session.SessionTuning;

import java.nio.FloatBuffer;

/**
 * The pipeline's own ONNX Runtime session on a {@link SegmentationModel}. A second session, because
 * ONNX Runtime fixes thread counts and spinning when a session is created, and the pipeline wants
 * other values than the model's {@code predict} (see {@link SessionTuning}). It is opened from the
 * model's parsed file, on the model's provider, and fed and decoded by the same code as
 * {@code predict} ({@link SessionRunner}); knobs set on the model apply here too. One run at a time
 * (the pipeline's inference stage is one thread).
 */
public final class PipelineSession implements AutoCloseable {
    private final SegmentationModel model;
    private final SessionTuning tuning;
    private final SessionRunner runner;

    private PipelineSession(SegmentationModel model, SessionTuning tuning, SessionRunner runner) {
        this.model = model;
        this.tuning = tuning;
        this.runner = runner;
    }

    /** Opens a session on the model with the given tuning (and the model's provider). */
    public static PipelineSession open(SegmentationModel model, SessionTuning tuning) throws SegbenchException {
        return new PipelineSession(model, tuning, model.openRunner(tuning));
    }

    public SegmentationModel model() {
        return model;
    }

    public SessionTuning tuning() {
        return tuning;
    }

    /** A tensor over a direct buffer of a preprocessed frame; ONNX Runtime reads it in place. */
    public OnnxTensor imageTensor(FloatBuffer direct, Size size) throws SegbenchException {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("ONNX Runtime would copy a heap buffer: pass a direct one");
        }
        return runner.imageTensor(direct, size);
    }

    /** Whether an image tensor reads its buffer in place (float32 inputs) or holds a converted copy. */
    boolean readsInPlace() {
        return runner.feeder().readsInPlace();
    }

    /** A plain run whose result the caller fetches and closes: the raw baseline of {@code bench --pipeline}. */
    public OrtSession.Result run(OnnxTensor image) throws SegbenchException {
        return runner.runPlain(image);
    }

    /** Runs once on {@code image}, leaving the output in {@code into} (pinned after the first run at a size). */
    void run(OnnxTensor image, Size inputSize, NetworkOutput into) throws SegbenchException {
        runner.run(image, inputSize, into);
    }

    /** A buffer for one frame's output; the pipeline pools them. */
    NetworkOutput newOutput() {
        return runner.newOutput();
    }

    @Override
    public void close() {
        runner.close();
    }
}
