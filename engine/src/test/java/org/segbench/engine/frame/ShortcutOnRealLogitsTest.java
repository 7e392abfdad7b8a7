package org.segbench.engine.frame;

import org.junit.jupiter.api.Test;
import org.segbench.engine.Size;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The labels-only shortcut of {@link LogitsDecoder} against the full per-class interpolation on
 * real logits: bundled models run by the engine at 360x480 on frames of vtest.avi and on a CamVid
 * image, decoded to the video's 576x768, to the input's own size and to odd sizes up and down.
 * Every label must be the same. The logits come at three resolutions: 1/8 of the input
 * (Fast-SCNN), 1/32 (NDNet45, an FCN32) and the input's own (the ESPNet reference, whose decoder
 * ends in a transposed convolution): the last has a class boundary between almost every pair of
 * rows somewhere, the hardest case for the shortcut.
 */
class ShortcutOnRealLogitsTest {
    private static final Size[] TARGETS = {
        new Size(576, 768), new Size(360, 480), new Size(577, 769), new Size(241, 333), new Size(721, 961),
        new Size(360, 481)};

    @Test
    void fastScnnLabelsEqualTheFullInterpolation() throws Exception {
        assertSameLabels(RealLogits.of("fastscnn.onnx", 11, 8));
    }

    @Test
    void ndnet45LabelsEqualTheFullInterpolation() throws Exception {
        assertSameLabels(RealLogits.of("ndnet45.onnx", 11, 32));
    }

    @Test
    void espnetLabelsAtTheInputSizeEqualTheFullInterpolation() throws Exception {
        assertSameLabels(RealLogits.of("espnet_camvid.onnx", 12, 1));
    }

    private static void assertSameLabels(List<RealLogits> frames) {
        assertEquals(4, frames.size(), "three video frames and one CamVid image");
        for (RealLogits l : frames) {
            float[] copy = new float[l.classes() * l.h() * l.w()];
            l.values().get(0, copy);
            for (Size t : TARGETS) {
                byte[] fast = new byte[t.height() * t.width()];
                byte[] full = new byte[fast.length];
                LogitsDecoder.decodeLabels(l.values(), 0, l.classes(), l.h(), l.w(), t.height(), t.width(), fast);
                LogitsDecoder.decodeLabelsFull(copy, 0, l.classes(), l.h(), l.w(), t.height(), t.width(), full);
                String where = l.what() + " -> " + t;
                assertArrayEquals(full, fast, where);
                assertTrue(classesIn(full) >= 3, where + ": a real scene has several classes (boundaries to decide)");
            }
        }
    }

    private static int classesIn(byte[] labels) {
        boolean[] seen = new boolean[256];
        int n = 0;
        for (byte b : labels) {
            if (!seen[b & 0xFF]) {
                seen[b & 0xFF] = true;
                n++;
            }
        }
        return n;
    }
}
