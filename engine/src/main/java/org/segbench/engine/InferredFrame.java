package org.segbench.engine;

import org.segbench.engine.session.NetworkOutput;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A frame that has been through the network (preprocess and inference, see
 * {@link SegmentationModel#infer}) and waits to be decoded: its output sits in one of the model's
 * buffers until {@link #finish()} turns it into a {@link Prediction} or {@link #discard()} lets it
 * go. Either may be called once, from any thread; the model must still be open.
 */
public final class InferredFrame {
    private final SegmentationModel model;
    private final AtomicReference<NetworkOutput> output;
    private final Size source;
    private final Size inputSize;
    private final long preprocessNanos;
    private final long inferenceNanos;

    InferredFrame(SegmentationModel model, NetworkOutput output, Size source, Size inputSize,
                  long preprocessNanos, long inferenceNanos) {
        this.model = model;
        this.output = new AtomicReference<>(output);
        this.source = source;
        this.inputSize = inputSize;
        this.preprocessNanos = preprocessNanos;
        this.inferenceNanos = inferenceNanos;
    }

    /** Upsampling, argmax (and scores when the model was opened with them): the labels at the frame's size. */
    public Prediction finish() {
        NetworkOutput out = output.getAndSet(null);
        if (out == null) {
            throw new IllegalStateException("this frame was already finished or discarded");
        }
        return model.finish(this, out);
    }

    /** Gives the buffer back without decoding (the frame is no longer wanted). */
    public void discard() {
        NetworkOutput out = output.getAndSet(null);
        if (out != null) {
            model.discard(out);
        }
    }

    Size source() {
        return source;
    }

    public Size inputSize() {
        return inputSize;
    }

    long preprocessNanos() {
        return preprocessNanos;
    }

    long inferenceNanos() {
        return inferenceNanos;
    }
}
