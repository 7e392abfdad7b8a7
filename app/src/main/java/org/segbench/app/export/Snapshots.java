package org.segbench.app.export;

import java.io.IOException;
import java.nio.file.Path;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

import javax.imageio.ImageIO;

/** Pictures of what the user sees: a node snapshot as PNG or as ARGB pixels for the recorder. */
public final class Snapshots {
    private Snapshots() { }

    /** Must run on the FX thread. */
    public static WritableImage take(Node node) {
        SnapshotParameters params = new SnapshotParameters();
        params.setFill(Color.web("#1f2125"));
        return node.snapshot(params, null);
    }

    public static void savePng(WritableImage image, Path file) throws IOException {
        if (!ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    public static int[] argb(WritableImage image) {
        int w = (int) image.getWidth(), h = (int) image.getHeight();
        int[] px = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        return px;
    }
}
