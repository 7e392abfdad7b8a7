package org.segbench.engine.frame;

import org.junit.jupiter.api.Test;
import org.segbench.engine.Size;

import static org.junit.jupiter.api.Assertions.*;
import static org.segbench.engine.frame.TensorLayout.NCHW;
import static org.segbench.engine.frame.TensorLayout.NHWC;

/** Where the channels are, read from shapes as exporters write them ({@code -1} = dynamic). */
class TensorLayoutTest {
    @Test
    void imageInputsByWhereTheOneOrThreeChannelsAre() {
        assertEquals(NCHW, TensorLayout.detectInput(new long[] {1, 3, 360, 480}));
        assertEquals(NCHW, TensorLayout.detectInput(new long[] {-1, 3, -1, -1}));
        assertEquals(NCHW, TensorLayout.detectInput(new long[] {1, 1, 64, 64}));
        assertEquals(NHWC, TensorLayout.detectInput(new long[] {1, 512, 896, 3}));
        assertEquals(NHWC, TensorLayout.detectInput(new long[] {-1, -1, -1, 3}));
        assertEquals(NHWC, TensorLayout.detectInput(new long[] {1, 64, 64, 1}));
        assertEquals(NCHW, TensorLayout.detectInput(new long[] {-1, -1, -1, -1}), "nothing to go by: PyTorch's");
        assertEquals(NCHW, TensorLayout.detectInput(new long[] {1, 3, 3, 3}), "ambiguous: PyTorch's");
    }

    @Test
    void outputsByTheClassCountOrAPlausibleSpatialShape() {
        assertEquals(NCHW, TensorLayout.detectOutput(new long[] {1, 11, 360, 480}, -1));
        assertEquals(NCHW, TensorLayout.detectOutput(new long[] {1, 11, 16, 24}, -1), "low-resolution logits");
        assertEquals(NCHW, TensorLayout.detectOutput(new long[] {1, 19, 8, 8}, -1), "tiny maps stay NCHW");
        assertEquals(NCHW, TensorLayout.detectOutput(new long[] {-1, 12, -1, -1}, -1));
        assertEquals(NCHW, TensorLayout.detectOutput(new long[] {-1, -1, -1, -1}, -1));
        assertEquals(NHWC, TensorLayout.detectOutput(new long[] {1, 512, 896, 19}, -1));
        assertEquals(NHWC, TensorLayout.detectOutput(new long[] {-1, -1, -1, 11}, -1));
        // a known class count decides where the heuristic would not
        assertEquals(NHWC, TensorLayout.detectOutput(new long[] {1, 19, 8, 8}, 8));
        assertEquals(NCHW, TensorLayout.detectOutput(new long[] {1, 64, 96, 11}, 64));
        // label maps: the single channel
        assertEquals(NHWC, TensorLayout.detectOutput(new long[] {1, 64, 96, 1}, 1));
        assertEquals(NCHW, TensorLayout.detectOutput(new long[] {1, 1, 64, 96}, 1));
    }

    @Test
    void shapesAndAxesPerLayout() {
        Size s = new Size(64, 96);
        assertArrayEquals(new long[] {1, 3, 64, 96}, NCHW.shape(3, s));
        assertArrayEquals(new long[] {1, 64, 96, 3}, NHWC.shape(3, s));
        long[] nhwc = {1, 64, 96, 11};
        assertEquals(11, NHWC.channels(nhwc));
        assertEquals(64, NHWC.height(nhwc));
        assertEquals(96, NHWC.width(nhwc));
        long[] labels = {1, 64, 96};
        assertEquals(1, NHWC.channels(labels));
        assertEquals(64, NHWC.height(labels));
        assertEquals(96, NHWC.width(labels));
        assertEquals(NHWC, TensorLayout.parse(" NHWC "));
        assertEquals("nchw", NCHW.key());
        assertThrows(IllegalArgumentException.class, () -> TensorLayout.parse("chw"));
        assertEquals(ChannelOrder.BGR, ChannelOrder.parse("Bgr"));
        assertThrows(IllegalArgumentException.class, () -> ChannelOrder.parse("rgba"));
    }
}
