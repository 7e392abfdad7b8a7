package org.segbench.engine;

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

    public static Path model(String name) {
        Path p = Path.of("src/test/resources/models", name).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test model missing: " + p);
        }
        return p;
    }
}
