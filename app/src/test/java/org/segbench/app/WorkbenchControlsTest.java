package org.segbench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneView;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.engine.render.ViewMode;

/** Transport, several images, drag-and-drop routing, the legend, recent models and the device menu. */
class WorkbenchControlsTest extends UiTestSupport {

    @Test
    void seekStepAndTimestampsOnTheSampleVideo() {
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), ROOT.resolve("sample-images/vtest.avi"), null, false)));
        waitUntil("first frame", 60, () -> vm.player().current() != null);
        assertEquals(795, vm.player().frameCountProperty().get());
        assertTrue(vm.player().seekableProperty().get());
        fx(() -> vm.player().seek(100));
        waitUntil("frame 100", 30, () -> vm.player().current().index() == 100);
        double fps = vm.player().fpsProperty().get();
        assertEquals(100 / fps * 1000, vm.player().current().timestampMs(), 1.0);
        fx(() -> vm.player().stepForward());
        waitUntil("frame 101", 30, () -> vm.player().current().index() == 101);
        fx(() -> vm.player().stepBack());
        waitUntil("back to 100", 30, () -> vm.player().current().index() == 100);
        String readout = lookup("#frame-readout").queryLabeled().getText();
        assertTrue(readout.startsWith("frame 100 / 795"), readout);
        // The pane catches up with the frame on screen.
        waitUntil("pane on frame 100", 60, () -> vm.panes().get(0).result() != null
                && vm.panes().get(0).result().frame().index() == 100);
        // Play, then pause: frames advance, then stop.
        fx(() -> vm.player().play());
        waitUntil("playing on", 30, () -> vm.player().current().index() > 103);
        fx(() -> vm.player().pause());
        long at = vm.player().current().index();
        sleep(600);
        assertTrue(vm.player().current().index() <= at + 1, "still playing after pause");
    }

    @Test
    void severalImagesAndDroppedFilesAreSortedByKind(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(CAMVID.resolve("val")), "needs ../shared/datasets/camvid");
        fx(() -> open(options(List.of(), null, null, false)));
        List<Path> three = List.of(CAMVID.resolve("val/0016E5_07959.png"), CAMVID.resolve("val/0016E5_07961.png"),
                CAMVID.resolve("val/0016E5_07963.png"));
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "not media");
        // What a drop of these files does: a model becomes a pane, the images one source, the rest a message.
        fx(() -> vm.drop(List.of(MODELS.resolve("tiny_camvid.onnx"), three.get(0), three.get(1), three.get(2), notes)));
        waitUntil("pane from the dropped model", 60, () -> vm.panes().size() == 1);
        waitUntil("three images", 30, () -> vm.player().frameCountProperty().get() == 3 && vm.player().current() != null);
        assertTrue(vm.notifier().history().stream().anyMatch(m -> m.level() == Notifier.Level.ERROR
                && m.title().equals("notes.txt")), vm.notifier().history().toString());
        fx(() -> vm.player().stepForward());
        waitUntil("second image", 30, () -> vm.player().current().index() == 1);
        assertTrue(vm.player().current().file().orElseThrow().endsWith("0016E5_07961.png"));
        // The dropped model is now a recent model.
        assertTrue(vm.recentModels().stream().anyMatch(p -> p.endsWith("tiny_camvid.onnx")), vm.recentModels().toString());
    }

    @Test
    void hidingAClassInTheLegendRemovesItFromTheMask() {
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), camvidImage(), null, false)));
        waitUntil("prediction", 60, () -> vm.panes().size() == 1 && vm.panes().get(0).result() != null);
        PaneViewModel pane = vm.panes().get(0);
        fx(() -> {
            pane.viewModeProperty().set(ViewMode.MASK);
            window.fit();
        });
        PaneView view = window.grid().viewOf(pane);
        // The most frequent predicted class, and its colour on screen before and after hiding it.
        int[] counts = new int[256];
        for (byte b : pane.result().prediction().labels().labels()) counts[b & 0xFF]++;
        int top = 0;
        for (int c = 1; c < 256; c++) if (counts[c] > counts[top]) top = c;
        int colour = 0xFF000000 | pane.labels().rgb(top);
        String name = pane.labels().name(top);
        assertTrue(share(snapshot(view.canvas()), colour) > 0.05, "top class not visible before hiding");
        fx(() -> vm.legend().entries().stream().filter(e -> e.name().equals(name)).forEach(e -> e.visibleProperty().set(false)));
        assertEquals(0.0, share(snapshot(view.canvas()), colour), 1e-9, name + " still drawn after hiding");
        fx(() -> vm.legend().showAll());
        assertTrue(share(snapshot(view.canvas()), colour) > 0.05, "class not back after Show all");
    }

    @Test
    void deviceMenuOffersCpuAndSaysWhyCudaIsNot() {
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), null, null, false)));
        waitUntil("model", 60, () -> vm.panes().size() == 1);
        PaneViewModel pane = vm.panes().get(0);
        assertEquals("CPU", pane.providerProperty().get());
        assertFalse(pane.providerNoteProperty().get().isEmpty());
        MenuButton device = lookup("Device").queryAs(MenuButton.class);
        MenuItem cuda = device.getItems().stream().filter(i -> i.getText().contains("CUDA")).findFirst().orElseThrow();
        if (!vm.cudaReason().isEmpty()) {
            assertTrue(cuda.isDisable());
            assertTrue(cuda.getText().contains("unavailable"), cuda.getText());
        }
        // Switching to the provider in use is a no-op; the pane keeps running.
        fx(() -> vm.switchProvider(pane, "CPU"));
        assertEquals(1, vm.panes().size());
    }

    @Test
    void deviceMenuRunsThePaneAtAnotherInputSize() {
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), ROOT.resolve("sample-images/vtest.avi"), null, false)));
        waitUntil("first prediction", 60, () -> vm.panes().size() == 1 && vm.panes().get(0).result() != null);
        PaneViewModel pane = vm.panes().get(0);
        assertEquals("in 360x480", pane.inputSizeProperty().get(), "runs at the input_size it was trained at");
        assertEquals(576, pane.result().prediction().height(), "labels at the frame's size");
        MenuButton device = lookup("Device").queryAs(MenuButton.class);
        MenuItem frame = device.getItems().stream().filter(i -> "input-frame".equals(i.getId())).findFirst().orElseThrow();
        fx(frame::fire);
        waitUntil("re-run at the frame's size", 60, () -> "in 576x768".equals(pane.inputSizeProperty().get()));
        MenuItem trained = device.getItems().stream().filter(i -> "input-360x480".equals(i.getId())).findFirst().orElseThrow();
        fx(trained::fire);
        waitUntil("back at 360x480", 60, () -> "in 360x480".equals(pane.inputSizeProperty().get()));
        assertEquals(576, pane.result().prediction().height(), "labels stay at the frame's size");
    }

    private static double share(WritableImage img, int argb) {
        PixelReader r = img.getPixelReader();
        int w = (int) img.getWidth(), h = (int) img.getHeight(), hit = 0, n = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                n++;
                if (r.getArgb(x, y) == argb) hit++;
            }
        }
        return hit / (double) n;
    }
}
