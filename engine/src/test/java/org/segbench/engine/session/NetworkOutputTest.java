package org.segbench.engine.session;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.platform.Fp16Conversions;
import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelMap;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.frame.TensorLayout;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

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
                     OnnxJavaType.UINT8);
             OnnxTensor int16 = OnnxTensor.createTensor(ENV, ShortBuffer.wrap(new short[] {0, 1, 2, 3}), SHAPE);
             OnnxTensor int8 = OnnxTensor.createTensor(ENV, ByteBuffer.wrap(new byte[] {0, 1, 2, 3}), SHAPE);
             OnnxTensor nhwc = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {0, 1, 2, 3}),
                     new long[] {1, 2, 2, 1})) {
            assertArrayEquals(EXPECTED, decoded(int64));
            assertArrayEquals(EXPECTED, decoded(int32));
            assertArrayEquals(EXPECTED, decoded(uint8));
            assertArrayEquals(EXPECTED, decoded(int16));
            assertArrayEquals(EXPECTED, decoded(int8));
            try (NetworkOutput out = new NetworkOutput(TensorLayout.NHWC)) {
                out.copyFrom(nhwc);
                LabelMap labels = LabelMap.blank(4, 4);
                out.decode(labels, false);
                assertArrayEquals(EXPECTED, labels.labels(), "N x h x w x 1");
            }
        }
    }

    @Test
    void nhwcAndHalfPrecisionScoresDecodeAsTheirNchwFloatTwin() throws Exception {
        // 3 classes on a 2 x 2 grid, winners 2, 0 / 1, 2; NCHW float32 is the reference
        float[] nchw = {
            0f, 4f, 1f, 0f,   // class 0
            1f, 0f, 5f, 2f,   // class 1
            3f, 1f, 2f, 6f};  // class 2
        float[] nhwc = new float[12];
        short[] half = new short[12];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 4; p++) {
                nhwc[p * 3 + c] = nchw[c * 4 + p];
            }
        }
        for (int i = 0; i < 12; i++) {
            half[i] = Fp16Conversions.floatToFp16(nchw[i]);
        }
        LabelMap reference = LabelMap.blank(4, 4);
        try (OnnxTensor f32 = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(nchw), new long[] {1, 3, 2, 2});
             OnnxTensor f32nhwc = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(nhwc), new long[] {1, 2, 2, 3});
             OnnxTensor f16 = OnnxTensor.createTensor(ENV, ShortBuffer.wrap(half), new long[] {1, 3, 2, 2},
                     OnnxJavaType.FLOAT16);
             NetworkOutput a = new NetworkOutput(TensorLayout.NCHW);
             NetworkOutput b = new NetworkOutput(TensorLayout.NHWC);
             NetworkOutput c = new NetworkOutput(TensorLayout.NCHW)) {
            a.copyFrom(f32);
            float[] scores = a.decode(reference, true).toArray();
            assertEquals(2, reference.labels()[0]);
            assertEquals(0, reference.labels()[3]);
            for (var pair : java.util.List.of(java.util.Map.entry(b, f32nhwc), java.util.Map.entry(c, f16))) {
                LabelMap labels = LabelMap.blank(4, 4);
                pair.getKey().copyFrom(pair.getValue());
                assertArrayEquals(scores, pair.getKey().decode(labels, true).toArray(), 1e-6f);
                assertArrayEquals(reference.labels(), labels.labels());
            }
        }
    }

    @Test
    void aClassMapRelabelsEveryDecodedPixel() throws Exception {
        byte[] table = new byte[256];
        table[0] = 3;
        table[1] = 3;
        table[2] = 0;
        table[3] = 1;
        try (OnnxTensor t = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {0, 1, 2, 3}), SHAPE);
             NetworkOutput out = new NetworkOutput(TensorLayout.NCHW, table)) {
            out.copyFrom(t);
            LabelMap labels = LabelMap.blank(4, 4);
            out.decode(labels, false);
            for (int i = 0; i < 16; i++) {
                assertEquals(table[EXPECTED[i]], labels.labels()[i]);
            }
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
