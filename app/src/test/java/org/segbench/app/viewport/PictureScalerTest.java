package org.segbench.app.viewport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PictureScalerTest {
    private final PictureScaler scaler = new PictureScaler();

    @Test
    void magnifiedPicturesRepeatEachPixel() {
        int[] src = {1, 2, 3, 4, 5, 6};   // 3 x 2
        int[] dst = new int[6 * 4];
        scaler.scale(src, 3, 2, dst, 6, 4);
        assertArrayEquals(new int[] {
            1, 1, 2, 2, 3, 3,
            1, 1, 2, 2, 3, 3,
            4, 4, 5, 5, 6, 6,
            4, 4, 5, 5, 6, 6}, dst);
        int[] odd = new int[4 * 3];   // 1.33x: every target pixel takes the source pixel under its centre
        scaler.scale(src, 3, 2, odd, 4, 3);
        assertArrayEquals(new int[] {1, 2, 2, 3, 4, 5, 5, 6, 4, 5, 5, 6}, odd);
    }

    @Test
    void shrunkPicturesBlendNeighboursChannelByChannel() {
        int black = 0xFF000000;
        int white = 0xFFFFFFFF;
        int[] src = {black, white, black, white};   // 4 x 1, alternating
        int[] dst = new int[2];
        scaler.scale(src, 4, 1, dst, 2, 1);
        // each target centre lies halfway between a black and a white pixel
        assertEquals(0xFF7F7F7F, dst[0]);
        assertEquals(0xFF7F7F7F, dst[1]);
        int[] clear = {0, 0xFF204080, 0, 0xFF204080};   // transparent (0) and opaque: stays pre-multiplied
        scaler.scale(clear, 4, 1, dst, 2, 1);
        int a = dst[0] >>> 24;
        assertEquals(0x7F, a);
        assertEquals(0x10, (dst[0] >> 16) & 0xFF);
        assertEquals(0x20, (dst[0] >> 8) & 0xFF);
        assertEquals(0x40, dst[0] & 0xFF);
    }

    @Test
    void aPictureOfTheSameSizeIsCopied() {
        int[] src = {7, 8, 9, 10};
        int[] dst = new int[4];
        scaler.scale(src, 2, 2, dst, 2, 2);
        assertArrayEquals(src, dst);
    }
}
