package org.segbench.engine;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where test inputs live: the bundled tiny models and the datasets in ../shared beside the checkout. */
public final class TestData {
    /** Tests run in engine/; the repository root is its parent. */
    public static final Path REPO = Path.of("").toAbsolutePath().getParent();
    public static final Path SHARED = REPO.resolveSibling("shared");
    public static final Path CAMVID = SHARED.resolve("datasets/camvid");
    public static final Path CITYSCAPES_SAMPLE = SHARED.resolve("datasets/cityscapes-sample");
    public static final Path VTEST = REPO.resolve("sample-images/vtest.avi");

    private TestData() {
    }

    /** A seeded random 8-bit BGR frame: the same pixels on every call. */
    public static Mat noise(int h, int w) {
        OpenCv.load();
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        Core.setRNGSeed(7);
        Core.randu(m, 0, 256);
        return m;
    }

    public static Path model(String name) {
        Path p = Path.of("src/test/resources/models", name).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test model missing: " + p);
        }
        return p;
    }
}
