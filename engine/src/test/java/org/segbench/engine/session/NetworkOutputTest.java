package org.segbench.engine.session;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelMap;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.frame.TensorLayout;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

import static org.junit.jupiter.api.Assertions.*;

/** One network output taken from real ONNX Runtime tensors and decoded to a frame's size. */
class NetworkOutputTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    /** A 2 x 2 label map, scaled to 4 x 4 by nearest neighbour. */
    private static final long[] SHAPE = {1, 2, 2};
    private static final byte[] EXPECTED = {
        0, 0, 1, 1,
        0, 0, 1, 1,
        2, 2, 3, 3,
        2, 2, 3, 3};

    private static byte[] decoded(OnnxTensor t) throws SegbenchException {
        try (NetworkOutput out = new NetworkOutput(TensorLayout.NCHW)) {
            out.copyFrom(t);
            LabelMap labels = LabelMap.blank(4, 4);
            assertNull(out.decode(labels, true), "a label map has no scores");
            return labels.labels();
        }
    }

    @Test
    void labelMapsOfEveryIntegerTypeDecodeAlike() throws Exception {
        try (OnnxTensor int64 = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {0, 1, 2, 3}), SHAPE);
             OnnxTensor int32 = OnnxTensor.createTensor(ENV, IntBuffer.wrap(new int[] {0, 1, 2, 3}), SHAPE);
             OnnxTensor uint8 = OnnxTensor.createTensor(ENV, ByteBuffer.wrap(new byte[] {0, 1, 2, 3}), SHAPE,
                     OnnxJavaType.UINT8)) {
            assertArrayEquals(EXPECTED, decoded(int64));
            assertArrayEquals(EXPECTED, decoded(int32));
            assertArrayEquals(EXPECTED, decoded(uint8));
        }
    }

    @Test
    void copiedAndPinnedLogitsDecodeAlike() throws Exception {
        // 2 classes on a 1 x 2 grid: class 1 wins on the left, class 0 on the right
        float[] logits = {0f, 5f, 3f, 1f};
        long[] shape = {1, 2, 1, 2};
        LabelMap copied = LabelMap.blank(4, 1);
        LabelMap pinned = LabelMap.blank(4, 1);
        try (OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(logits), shape);
             NetworkOutput a = new NetworkOutput(TensorLayout.NCHW);
             NetworkOutput b = new NetworkOutput(TensorLayout.NCHW)) {
            a.copyFrom(t);
            float[] copiedScores = a.decode(copied, true).toArray();
            // what ONNX Runtime does on a pinned run: write the logits into the buffer under the tensor
            b.pinned(ENV, shape);
            b.pinnedBuffer().put(0, logits);
            float[] pinnedScores = b.decode(pinned, true).toArray();
            assertArrayEquals(new byte[] {1, 1, 0, 0}, copied.labels());
            assertArrayEquals(copied.labels(), pinned.labels());
            assertArrayEquals(copiedScores, pinnedScores);
        }
    }

    @Test
    void nothingHeldIsAnError() {
        try (NetworkOutput out = new NetworkOutput(TensorLayout.NCHW)) {
            assertThrows(IllegalStateException.class, () -> out.decode(LabelMap.blank(1, 1), false));
        }
    }
}
