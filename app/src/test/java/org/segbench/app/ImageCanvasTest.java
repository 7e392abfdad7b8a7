package org.segbench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;

import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;

import org.junit.jupiter.api.Test;
import org.segbench.app.viewport.ImageCanvas;
import org.segbench.app.viewport.Viewport;

/**
 * A pane's canvas keeps one image while the pictures keep their size (the video case) and shows
 * each new picture's pixels, transparent ones over its background.
 */
class ImageCanvasTest extends UiTestSupport {
    private static final int BACKGROUND = 0xFF15171A;

    @Test
    void picturesOfOneSizeGoIntoOneImageAndEachIsShown() {
        ImageCanvas[] canvas = new ImageCanvas[1];
        fx(() -> {
            canvas[0] = new ImageCanvas(new Viewport());
            canvas[0].setStyle("-fx-background-color: #15171a;");
            stage.setScene(new Scene(new StackPane(canvas[0]), 320, 240));
            stage.show();
        });
        ImageCanvas c = canvas[0];
        fx(() -> c.setPixels(filled(0xFFE0303A, 40, 30), 40, 30));
        Image first = c.image();
        assertEquals(0xFFE0303A, centre(snapshot(c)));

        fx(() -> c.setPixels(filled(0xFF3D8EE8, 40, 30), 40, 30));
        assertSame(first, c.image(), "a new image for a picture of the same size");
        assertEquals(0xFF3D8EE8, centre(snapshot(c)));

        fx(() -> c.setPixels(filled(0, 40, 30), 40, 30));
        assertEquals(BACKGROUND, centre(snapshot(c)), "a transparent picture hides the background");

        fx(() -> c.setPixels(filled(0xFF2E9E4F, 80, 30), 80, 30));
        assertNotSame(first, c.image(), "the image must follow the picture's size");
        assertEquals(80, c.image().getWidth());
        WritableImage wide = snapshot(c);
        assertEquals(0xFF2E9E4F, centre(wide));
        // fitted: 80x30 in 320x240 is 320 wide, 120 high, centred; above it the background
        assertEquals(BACKGROUND, wide.getPixelReader().getArgb(160, 20));
        assertEquals(0xFF2E9E4F, wide.getPixelReader().getArgb(5, 120));
    }

    @Test
    void aPictureNearItsSizeOnScreenIsResampledAndShownOneToOne() {
        ImageCanvas[] canvas = new ImageCanvas[1];
        fx(() -> {
            canvas[0] = new ImageCanvas(new Viewport());
            stage.setScene(new Scene(new StackPane(canvas[0]), 320, 240));
            stage.show();
        });
        ImageCanvas c = canvas[0];
        // 200x150, left half red, right half blue, fitted into 320x240: zoom 1.6
        int[] picture = new int[200 * 150];
        for (int i = 0; i < picture.length; i++) picture[i] = i % 200 < 100 ? 0xFFE0303A : 0xFF3D8EE8;
        fx(() -> c.setPixels(picture, 200, 150));
        assertEquals(320, c.image().getWidth(), "resampled to the size it takes on screen");
        assertEquals(200, c.pictureWidth());
        WritableImage shown = snapshot(c);
        assertEquals(0xFFE0303A, shown.getPixelReader().getArgb(150, 120));
        assertEquals(0xFF3D8EE8, shown.getPixelReader().getArgb(170, 120));
        // shrunk: 640x480 into 320x240 is half size, blended as the renderer would
        int[] big = new int[640 * 480];
        Arrays.fill(big, 0xFF2E9E4F);
        fx(() -> c.setPixels(big, 640, 480));
        assertEquals(320, c.image().getWidth());
        assertEquals(0xFF2E9E4F, centre(snapshot(c)));
    }

    private static int[] filled(int argb, int w, int h) {
        int[] p = new int[w * h];
        Arrays.fill(p, argb);
        return p;
    }

    private static int centre(WritableImage img) {
        return img.getPixelReader().getArgb((int) img.getWidth() / 2, (int) img.getHeight() / 2);
    }
}
