package org.segbench.engine.pipeline;

import org.segbench.engine.LabelMap;
import org.segbench.engine.Size;
import org.segbench.engine.Timings;
import org.segbench.engine.source.Frame;

import java.util.function.Consumer;

/**
 * One processed frame as a {@link FramePipeline} hands it out: the frame, its label map at the
 * frame's resolution and the coloured overlay. The arrays are pooled: they are valid until
 * {@link #close()}, which gives them back for a later frame (and releases the frame's Mat). Close
 * every result you take, promptly; a live view that must keep a picture copies the pixels out.
 */
public final class FrameResult implements AutoCloseable {
    private final Consumer<FrameResult> recycler;
    private byte[] labels = new byte[0];
    private int[] overlay = new int[0];
    private byte[] bgr = new byte[0];
    private LabelMap labelMap;
    private Frame frame;
    private Size inputSize;
    private double decodeMs;
    private double preprocessMs;
    private double inferenceMs;
    private double argmaxMs;
    private double renderMs;
    private boolean rendered;

    FrameResult(Consumer<FrameResult> recycler) {
        this.recycler = recycler;
    }

    /** Makes the arrays fit a frame of this size (no allocation when it already does). */
    void prepare(Frame f, Size input) {
        int n = f.width() * f.height();
        if (labels.length != n) {
            labels = new byte[n];
            overlay = new int[n];
            bgr = new byte[n * 3];
        }
        labelMap = new LabelMap(f.width(), f.height(), labels);
        frame = f;
        inputSize = input;
        rendered = false;
    }

    void times(double decode, double preprocess, double inference, double argmax, double render) {
        decodeMs = decode;
        preprocessMs = preprocess;
        inferenceMs = inference;
        argmaxMs = argmax;
        renderMs = render;
    }

    void markRendered() {
        rendered = true;
    }

    int[] overlayBuffer() {
        return overlay;
    }

    byte[] bgrScratch() {
        return bgr;
    }

    /** Frame index in the source. */
    public long index() {
        return frame.index();
    }

    /** The decoded frame (BGR Mat); released by {@link #close()}. */
    public Frame frame() {
        return frame;
    }

    /** Predicted classes at the frame's resolution. */
    public LabelMap labels() {
        return labelMap;
    }

    /** The coloured overlay, ARGB, {@code width * height}; null when the pipeline renders none. */
    public int[] overlay() {
        return rendered ? overlay : null;
    }

    public int width() {
        return labelMap.width();
    }

    public int height() {
        return labelMap.height();
    }

    /** The network input size used for this frame. */
    public Size inputSize() {
        return inputSize;
    }

    public double decodeMs() {
        return decodeMs;
    }

    /** Milliseconds of argmax (label decoding) and of colouring, the two halves of postprocess. */
    public double argmaxMs() {
        return argmaxMs;
    }

    public double renderMs() {
        return renderMs;
    }

    /** The engine's three-stage timings: preprocess, inference, postprocess (argmax + render). */
    public Timings timings() {
        return new Timings(preprocessMs, inferenceMs, argmaxMs + renderMs);
    }

    /** Gives the buffers back to the pipeline and releases the frame. */
    @Override
    public void close() {
        if (frame != null) {
            frame.close();
            frame = null;
            recycler.accept(this);
        }
    }
}
