package org.segbench.engine.frame;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LogitsDecoderTest {

    @Test
    void argmaxAndSoftmaxAtTheSameSize() {
        // 2 classes, 1x3 pixels: class planes [1, 5, 0] and [2, 1, 0]
        float[] logits = {1, 5, 0, 2, 1, 0};
        byte[] labels = new byte[3];
        float[] scores = new float[3];
        LogitsDecoder.decode(logits, 0, 2, 1, 3, 1, 3, labels, scores);
        assertArrayEquals(new byte[] {1, 0, 0}, labels, "ties go to the lower class");
        assertEquals(1 / (1 + Math.exp(-1)), scores[0], 1e-6);
        assertEquals(1 / (1 + Math.exp(-4)), scores[1], 1e-6);
        assertEquals(0.5, scores[2], 1e-6);
    }

    @Test
    void upsamplesBilinearlyBeforeArgmax() {
        // 2 classes on a 1x2 grid, upsampled to 1x4. Class 0 scores 0 everywhere; class 1 goes
        // from -1 (left) to +3 (right). Half-pixel centres: out x=0,1,2,3 sample 0, 0.25, 0.75, 1
        // -> class 1 = -1, 0, 2, 3. Argmax: 0 (0 > -1), 0 (tie), 1, 1.
        float[] logits = {0, 0, -1, 3};
        byte[] labels = new byte[4];
        LogitsDecoder.decode(logits, 0, 2, 1, 2, 1, 4, labels, null);
        assertArrayEquals(new byte[] {0, 0, 1, 1}, labels);
        // nearest-neighbour would give 0, 0, 1, 1 too; a 1x8 output separates them:
        // samples at x = 0, 0, 0.125, 0.375, 0.625, 0.875, 1, 1 -> class 1 = -1, -1, -0.5, 0.5, ...
        byte[] eight = new byte[8];
        LogitsDecoder.decode(logits, 0, 2, 1, 2, 1, 8, eight, null);
        assertArrayEquals(new byte[] {0, 0, 0, 1, 1, 1, 1, 1}, eight);
    }

    @Test
    void downsamplesToo() {
        float[] logits = new float[2 * 4 * 4];
        for (int i = 0; i < 16; i++) {
            logits[16 + i] = i < 8 ? -1 : 1; // class 1 wins in the bottom half
        }
        byte[] labels = new byte[2 * 2];
        LogitsDecoder.decode(logits, 0, 2, 4, 4, 2, 2, labels, null);
        assertArrayEquals(new byte[] {0, 0, 1, 1}, labels);
    }

    @Test
    void labelMapsResizeNearest() {
        long[] src = {1, 2, 3, 4};
        byte[] out = new byte[16];
        LabelMapDecoder.decode(src, 2, 2, 4, 4, out);
        assertArrayEquals(new byte[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, out);
        LabelMapDecoder.decode(new long[] {-3, 999}, 1, 2, 1, 2, out);
        assertEquals((byte) 255, out[0]);
        assertEquals((byte) 255, out[1]);
    }
}
