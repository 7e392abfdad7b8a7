package org.segbench.app.testing;

import java.nio.file.Path;
import java.util.Optional;

import org.opencv.core.Mat;
import org.segbench.app.source.SourceFrame;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.source.ImageFiles;

/** Where the view-model tests find real models and data, and frames read from real files. */
public final class TestFiles {
    public static final Path ROOT = Path.of(System.getProperty("segbench.root", "..")).toAbsolutePath().normalize();
    public static final Path MODELS = ROOT.resolve("engine/src/test/resources/models");
    public static final Path BUNDLED = ROOT.resolve("assets/models");
    public static final Path CAMVID = ROOT.resolve("../shared/datasets/camvid").normalize();

    private TestFiles() { }

    /** A CamVid validation image by stem, e.g. {@code 0016E5_07959}. */
    public static Path camvidVal(String stem) { return CAMVID.resolve("val/" + stem + ".png"); }

    /** An image file as the player would deliver it. */
    public static SourceFrame frame(Path image, long serial) throws SegbenchException {
        Mat bgr = ImageFiles.readBgr(image);
        try {
            return SourceFrame.copyOf(bgr, serial, 0, 1, 0, Optional.of(image), image.toString());
        } finally {
            bgr.release();
        }
    }
}
