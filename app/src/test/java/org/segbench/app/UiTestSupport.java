package org.segbench.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.segbench.app.export.Snapshots;
import org.segbench.app.main.MainWindow;
import org.segbench.app.main.WorkbenchViewModel;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Shared set-up of the UI tests: the stage TestFX starts for each test (hidden after it), paths to
 * the repository and ../shared, waiting, snapshots.
 */
@ExtendWith(ApplicationExtension.class)
public abstract class UiTestSupport extends FxRobot {
    protected static final Path ROOT = Path.of(System.getProperty("segbench.root", "..")).toAbsolutePath().normalize();
    protected static final Path MODELS = ROOT.resolve("engine/src/test/resources/models");
    protected static final Path CAMVID = ROOT.resolve("../shared/datasets/camvid").normalize();
    protected static final Path SCREENSHOTS = Path.of(System.getProperty("segbench.screenshots", "target/screenshots"));

    protected Stage stage;
    protected WorkbenchViewModel vm;
    protected MainWindow window;

    /** The primary stage ApplicationExtension registered for this test (it sees no inherited @Start). */
    @BeforeEach
    void takeStage() {
        this.stage = FxToolkit.toolkitContext().getRegisteredStage();
    }

    @AfterEach
    void close() {
        if (stage != null) fx(() -> stage.hide());
    }

    /** Opens the workbench on the stage TestFX gave this test. */
    protected void open(AppOptions options) {
        this.vm = WorkbenchApp.open(stage, options);
        this.window = (MainWindow) stage.getUserData();
    }

    protected static AppOptions options(List<Path> models, Path source, Path gt, boolean play) {
        return new AppOptions(ROOT, models, source, gt, play, true);
    }

    protected static void waitUntil(String what, int seconds, Callable<Boolean> condition) {
        try {
            // Evaluated on the FX thread: properties and Tasks belong to it.
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
                try {
                    return WaitForAsyncUtils.asyncFx(condition).get(5, TimeUnit.SECONDS);
                } catch (TimeoutException busy) {
                    return false; // FX thread busy for a moment: ask again
                }
            });
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Runs on the FX thread and waits for it. */
    protected void fx(Runnable r) {
        interact(r);
        WaitForAsyncUtils.waitForFxEvents();
    }

    protected WritableImage snapshot(Node node) {
        WritableImage[] out = new WritableImage[1];
        interact(() -> out[0] = Snapshots.take(node));
        return out[0];
    }

    protected Path screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        WritableImage[] img = new WritableImage[1];
        interact(() -> img[0] = Snapshots.take(stage.getScene().getRoot()));
        Snapshots.savePng(img[0], file);
        assertTrue(Files.size(file) > 10_000, name + ".png is suspiciously small");
        return file;
    }

    protected static Path camvidImage() { return CAMVID.resolve("val/0016E5_07959.png"); }
}
