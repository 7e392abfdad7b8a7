package org.segbench.engine.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.Size;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A session with its {@link InputFeeder} and {@link OutputDecoder}: a preprocessed frame in, a
 * {@link NetworkOutput} out. {@code SegmentationModel} runs one for {@code predict}; the threaded
 * pipeline {@link #reopen reopens} one with its own tuning on the same parsed file, provider,
 * knobs and output. Not thread-safe: one thread runs it at a time.
 */
public record SessionRunner(ModelSession session, InputFeeder feeder, OutputDecoder decoder) implements AutoCloseable {

    /** Another session on the same parsed model, provider, knobs and output, with other options. */
    public SessionRunner reopen(SessionTuning tuning) throws SegbenchException {
        ModelSession other = ModelSession.open(session.model(), tuning, session.provider().provider(),
                session.forcedLayout());
        return new SessionRunner(other, new InputFeeder(other, feeder.values()), decoder.fresh());
    }

    /** A buffer for this runner's outputs; a caller with several frames in flight holds several. */
    public NetworkOutput newOutput() {
        return new NetworkOutput(decoder.layout(), decoder.relabel());
    }

    /** See {@link InputFeeder#imageTensor}. */
    public OnnxTensor imageTensor(FloatBuffer values, Size size) throws SegbenchException {
        return feeder.imageTensor(values, size);
    }

    /** Runs once on {@code image} (made at {@code inputSize}), leaving the output in {@code into}. */
    public void run(OnnxTensor image, Size inputSize, NetworkOutput into) throws SegbenchException {
        try {
            Map<String, OnnxTensor> feed = feeder.feed(image);
            String name = decoder.output().name();
            OnnxTensor pinned = decoder.pinnedTarget(session.env(), inputSize, into);
            if (pinned != null) {
                session.runInto(feed, name, pinned);
                return;
            }
            try (OrtSession.Result r = session.run(feed, name)) {
                decoder.take((OnnxTensor) r.get(0), inputSize, into);
            }
        } catch (OrtException e) {
            throw new SegbenchException(session.path(), "inference failed at input " + inputSize + ": "
                    + OrtErrors.firstLine(e), e);
        } catch (NetworkOutput.TooLarge e) {
            throw new SegbenchException(session.path(), e.getMessage() + " at input " + inputSize
                    + ": give a smaller --size (the labels are still made at the frame's size)");
        }
    }

    /** A plain run whose result the caller fetches and closes: the baseline benchmarks compare with. */
    public OrtSession.Result runPlain(OnnxTensor image) throws SegbenchException {
        try {
            return session.run(feeder.feed(image), decoder.output().name());
        } catch (OrtException e) {
            throw new SegbenchException(session.path(), "inference failed: " + OrtErrors.firstLine(e), e);
        }
    }

    @Override
    public void close() {
        feeder.close();
        session.close();
    }
}
