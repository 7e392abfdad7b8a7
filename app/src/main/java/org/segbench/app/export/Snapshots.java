package org.segbench.app.export;

import java.io.IOException;
import java.nio.file.Path;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

import javax.imageio.ImageIO;

/** Pictures of what the user sees: a node snapshot saved as PNG. */
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
}
