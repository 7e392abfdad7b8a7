package org.segbench.engine.pipeline;

import ai.onnxruntime.OnnxTensor;
import org.opencv.core.Mat;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.Size;
import org.segbench.engine.frame.Preprocessor;

import java.nio.FloatBuffer;

/**
 * One pooled network input: a {@link Preprocessor} (which owns a reused direct buffer) and the
 * ONNX tensor made once over that buffer. Several slots let preprocessing of the next frame
 * overlap inference of this one; the tensor is remade only when the input size changes (or, for a
 * float16 input, every frame).
 */
final class InputSlot implements AutoCloseable {
    private final Preprocessor preprocessor;
    private final PipelineSession session;
    private FloatBuffer buffer;
    private OnnxTensor tensor;
    private Size size;

    InputSlot(PipelineSession session) {
        this.session = session;
        this.preprocessor = session.model().newPreprocessor();
    }

    /** Preprocesses the frame into this slot's buffer, (re)making the tensor if needed. */
    void fill(Mat bgr, Size inputSize) throws SegbenchException {
        FloatBuffer b = preprocessor.apply(bgr, inputSize);
        // a float16 input's tensor holds a converted copy: remade for every frame
        if (b != buffer || !inputSize.equals(size) || !session.readsInPlace()) {
            close();
            buffer = b;
            size = inputSize;
            tensor = session.imageTensor(b, inputSize);
        }
    }

    OnnxTensor tensor() {
        return tensor;
    }

    /** The direct buffer under the tensor (identity is stable while the size is). */
    FloatBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        if (tensor != null) {
            tensor.close();
            tensor = null;
        }
    }
}
