package org.segbench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javafx.scene.control.Slider;
import javafx.scene.control.TableColumn;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.metrics.IouRow;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneView;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.ScoreMap;
import org.segbench.engine.metrics.GroundTruthFormat;
import org.segbench.engine.render.ViewMode;

/**
 * The workbench end to end under Xvfb: real ONNX Runtime through the engine, real OpenCV/FFmpeg
 * decoding, real files from the repository and ../shared. Each test gets a fresh window.
 */
class WorkbenchUiTest extends UiTestSupport {

    @Test
    void startsWithTheBundledDefaultsAndPlaysTheSampleVideo() {
        fx(() -> open(AppOptions.parse("--root", ROOT.toString())));
        assertFalse(AppOptions.defaultModels(ROOT).isEmpty(), "no default model found");
        waitUntil("default models loaded", 60, () -> vm.panes().size() == AppOptions.defaultModels(ROOT).size());
        waitUntil("frames from vtest.avi", 60, () -> vm.player().current() != null && vm.player().current().index() > 2);
        assertTrue(vm.player().descriptionProperty().get().contains("vtest.avi"));
        waitUntil("a prediction in every pane", 60, () -> vm.panes().stream().allMatch(p -> p.result() != null));
        assertTrue(vm.player().playingProperty().get(), "sample video should be playing");
        assertEquals(768, vm.player().current().width());
    }

    @Test
    void modelAndImageLoadAndTheMaskIsDrawnInPaletteColours() {
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), null, null, false)));
        waitUntil("model loaded", 60, () -> vm.panes().size() == 1);
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        fx(() -> vm.openSource(camvidImage()));
        PaneViewModel pane = vm.panes().get(0);
        waitUntil("prediction", 60, () -> pane.result() != null);
        assertEquals(480, pane.result().prediction().width());
        assertEquals(360, pane.result().prediction().height());

        fx(() -> pane.viewModeProperty().set(ViewMode.MASK));
        fx(() -> window.fit());
        PaneView view = window.grid().viewOf(pane);
        WritableImage shot = snapshot(view.canvas());
        Set<Integer> palette = new HashSet<>();
        LabelSet camvid = pane.labels();
        for (int c = 0; c < camvid.size(); c++) palette.add(0xFF000000 | camvid.rgb(c));
        int inPalette = 0, total = 0;
        PixelReader r = shot.getPixelReader();
        // Sample the middle of the canvas, where the fitted frame is.
        int w = (int) shot.getWidth(), h = (int) shot.getHeight();
        for (int y = h / 4; y < 3 * h / 4; y += 3) {
            for (int x = w / 4; x < 3 * w / 4; x += 3) {
                total++;
                if (palette.contains(r.getArgb(x, y))) inPalette++;
            }
        }
        assertTrue(inPalette > total * 0.8, "mask pixels in palette colours: " + inPalette + " of " + total);
        // And the mask follows the labels: at least two classes visible in the drawn mask.
        Set<Integer> colours = new HashSet<>();
        for (int y = h / 4; y < 3 * h / 4; y += 7) for (int x = w / 4; x < 3 * w / 4; x += 7) colours.add(r.getArgb(x, y));
        colours.retainAll(palette);
        assertTrue(colours.size() >= 2, "mask shows a single colour");
    }

    @Test
    void iouTableFillsForACamVidImageWithGroundTruth() {
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx"), MODELS.resolve("tiny_lowres_logits.onnx")),
                null, null, false)));
        waitUntil("models loaded", 60, () -> vm.panes().size() == 2);
        // Opening val/X.png finds valannot/ beside it by the CamVid layout.
        fx(() -> vm.openSource(camvidImage()));
        waitUntil("ground truth attached", 20, () -> vm.groundTruthProperty().get() != null);
        assertTrue(vm.groundTruthProperty().get().root().endsWith("valannot"));
        waitUntil("IoU table filled", 60, () -> vm.iou().rows().size() == 11 + 2
                && Arrays.stream(vm.iou().rows().get(11).values()).noneMatch(Double::isNaN));
        assertEquals(2, vm.iou().columns().size());
        IouRow miou = vm.iou().rows().stream().filter(r -> r.name().equals("mIoU")).findFirst().orElseThrow();
        for (double v : miou.values()) assertTrue(v >= 0 && v <= 1, "mIoU " + v);
        IouRow pixelAcc = vm.iou().rows().stream().filter(r -> r.name().startsWith("pixel")).findFirst().orElseThrow();
        assertTrue(pixelAcc.value(0) > 0, "pixel accuracy is 0");
        // Error map against ground truth draws green and red.
        PaneViewModel pane = vm.panes().get(0);
        fx(() -> {
            pane.viewModeProperty().set(ViewMode.ERROR);
            pane.alphaProperty().set(1);
        });
        assertEquals("", pane.errorProperty().get());
        // The view shows the table rows too (not only the view-model).
        waitUntil("table rows shown", 10, () -> window.iouView().table().getItems().size() == 13);
        // Sorting by a model column orders the classes; mIoU and pixel accuracy stay at the bottom.
        var table = window.iouView().table();
        fx(() -> {
            var col = table.getColumns().get(1);
            col.setSortType(TableColumn.SortType.DESCENDING);
            table.getSortOrder().setAll(List.of(col));
            table.sort();
        });
        var shown = table.getItems();
        assertTrue(shown.get(shown.size() - 2).summary() && shown.get(shown.size() - 1).summary(), "summary rows moved");
        for (int i = 1; i < 11; i++) {
            double a = shown.get(i - 1).value(0), b = shown.get(i).value(0);
            assertTrue(Double.isNaN(b) || a >= b, "not sorted at row " + i + ": " + a + " < " + b);
        }
        // Reset empties the counts.
        fx(() -> vm.resetIou());
        waitUntil("reset", 10, () -> Double.isNaN(vm.iou().rows().get(11).value(0)));
    }

    @Test
    void cityscapesLayoutIsDetectedAndScoredWithTrainIds() {
        Path sample = ROOT.resolve("../shared/datasets/cityscapes-sample").normalize();
        assumeTrue(Files.isDirectory(sample), "needs ../shared/datasets/cityscapes-sample");
        fx(() -> open(options(List.of(MODELS.resolve("tiny_fastscnn_cityscapes.onnx")), null, null, false)));
        waitUntil("model", 60, () -> vm.panes().size() == 1);
        // The folder holds the image and its colour labels: only the image plays, the labels are the GT.
        fx(() -> vm.openSource(sample));
        waitUntil("GT", 20, () -> vm.groundTruthProperty().get() != null);
        assertEquals(GroundTruthFormat.CITYSCAPES_COLOR, vm.groundTruthProperty().get().format());
        waitUntil("frame", 30, () -> vm.player().current() != null);
        assertEquals(1, vm.player().frameCountProperty().get());
        assertTrue(vm.player().current().file().orElseThrow().toString().contains("leftImg8bit"));
        waitUntil("IoU over 19 classes", 120, () -> vm.iou().rows().size() == 19 + 2
                && !Double.isNaN(vm.iou().rows().get(19).value(0)));
        assertTrue(vm.iou().captionProperty().get().contains("Cityscapes"), vm.iou().captionProperty().get());
    }

    @Test
    void aRemovedPaneLetsGoOfItsLogits() {
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), null, null, false)));
        waitUntil("model loaded", 60, () -> vm.panes().size() == 1);
        PaneViewModel pane = vm.panes().get(0);
        Path image = Files.isRegularFile(camvidImage()) ? camvidImage() : ROOT.resolve("sample-images/vtest.avi");
        fx(() -> vm.openSource(image));
        waitUntil("first prediction", 60, () -> pane.result() != null);
        ScoreMap scores = pane.result().prediction().scores();
        assertFalse(Float.isNaN(scores.at(10, 10)), "the shown result answers the hover readout");
        // Something may still hold the pane (a table row, a queued event): its frames must not stay with it.
        fx(() -> vm.removeAllPanes());
        assertTrue(pane.isClosed());
        assertTrue(Float.isNaN(scores.at(10, 10)), "a removed pane still holds its logits");
    }

    @Test
    void changingAKnobReRunsTheFrameAndChangesTheOutput() {
        fx(() -> open(options(List.of(MODELS.resolve("tiny_fastscnn_cityscapes.onnx")), null, null, false)));
        waitUntil("model loaded", 60, () -> vm.panes().size() == 1);
        PaneViewModel pane = vm.panes().get(0);
        assertEquals(1, pane.knobs().size());
        assertEquals("skip_gain", pane.knobs().get(0).name());
        Path image = Files.isRegularFile(camvidImage()) ? camvidImage() : ROOT.resolve("sample-images/vtest.avi");
        fx(() -> vm.openSource(image));
        waitUntil("first prediction", 60, () -> pane.result() != null);
        // At the frame's size (Device menu) rather than the 64x128 this tiny model declares it was
        // trained at: the knob's effect is measured over the frame's pixels.
        fx(() -> vm.switchInputSize(pane, null));
        waitUntil("re-run at the frame's size", 60, () -> pane.result() != null
                && !"in 64x128".equals(pane.inputSizeProperty().get()));
        LabelMap before = pane.result().prediction().labels();
        float[] scoresBefore = pane.result().prediction().scores().toArray();
        long serial = pane.result().frame().serial();
        long done = pane.completed();
        // Drag-free: set through the slider the user sees.
        var slider = lookup("#knob-" + pane.id() + "-skip_gain").queryAs(Slider.class);
        fx(() -> slider.setValue(0));
        waitUntil("re-run after the knob", 30, () -> pane.completed() > done && pane.result().prediction().labels() != before);
        assertEquals(serial, pane.result().frame().serial(), "same frame re-run");
        LabelMap after = pane.result().prediction().labels();
        float[] scoresAfter = pane.result().prediction().scores().toArray();
        // The random-weight test model may keep its argmax; its probabilities must move.
        assertFalse(Arrays.equals(before.labels(), after.labels()) && Arrays.equals(scoresBefore, scoresAfter),
                "skip_gain 0 gave the same output as 1");
        double diff = 0;
        for (int i = 0; i < scoresBefore.length; i++) diff += Math.abs(scoresBefore[i] - scoresAfter[i]);
        assertTrue(diff / scoresBefore.length > 1e-4, "mean score change " + diff / scoresBefore.length);
        fx(() -> pane.knobs().get(0).reset());
        assertEquals(1.0, pane.knobs().get(0).valueProperty().get(), 1e-6);
    }

    @Test
    void skipAblationWithGroundTruthShowsDisagreementAndThePerClassDifference() {
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        // A CamVid-trained network with a skip_gain knob: the bundled Fast-SCNN, else SPSSNet.
        Path models = ROOT.resolve("assets/models");
        Path model = Files.isRegularFile(models.resolve("fastscnn.onnx")) ? models.resolve("fastscnn.onnx") : models.resolve("spssnet.onnx");
        assumeTrue(Files.isRegularFile(model), "needs a bundled model with skip_gain");
        fx(() -> open(options(List.of(), camvidImage(), null, false)));
        waitUntil("GT", 30, () -> vm.groundTruthProperty().get() != null);
        fx(() -> vm.skipAblation(model));
        waitUntil("two panes with results", 120, () -> vm.panes().size() == 2
                && vm.panes().stream().allMatch(p -> p.result() != null));
        PaneViewModel gain1 = vm.panes().get(0), gain0 = vm.panes().get(1);
        assertEquals(1.0, gain1.knobValues().get("skip_gain"), 1e-6);
        assertEquals(0.0, gain0.knobValues().get("skip_gain"), 1e-6);
        assertEquals(ViewMode.DISAGREEMENT, gain0.viewModeProperty().get());
        waitUntil("differ readout", 30, () -> gain0.hoverProperty().get().contains("% differ"));
        waitUntil("delta column", 60, () -> vm.iou().hasDelta() && vm.iou().columns().size() == 2
                && !Double.isNaN(vm.iou().rows().get(11).value(1)));
        assertEquals(0, vm.iou().deltaAProperty().get());
        assertEquals(1, vm.iou().deltaBProperty().get());
        assertTrue(window.iouView().table().getColumns().stream().anyMatch(c -> "Δ".equals(c.getText())));
    }

    @Test
    void aBadModelFileGivesANotificationAndTheAppKeepsRunning(@TempDir Path tmp) throws Exception {
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), null, null, false)));
        waitUntil("model loaded", 60, () -> vm.panes().size() == 1);
        Path garbage = tmp.resolve("broken_model.onnx");
        Files.writeString(garbage, "this is not a protobuf");
        fx(() -> vm.addModel(garbage));
        fx(() -> vm.addModel(MODELS.resolve("tiny_classifier.onnx")));
        waitUntil("two notifications", 30, () -> vm.notifier().history().stream()
                .filter(m -> m.level() == Notifier.Level.ERROR).count() >= 2);
        List<Notifier.Message> errors = vm.notifier().history().stream().filter(m -> m.level() == Notifier.Level.ERROR).toList();
        assertTrue(errors.stream().anyMatch(m -> m.title().contains("broken_model.onnx")), errors.toString());
        assertTrue(errors.stream().anyMatch(m -> m.title().contains("tiny_classifier.onnx")), errors.toString());
        // A bad image and a missing ground truth are reported the same way.
        Path badImage = tmp.resolve("not_an_image.png");
        Files.writeString(badImage, "nope");
        fx(() -> vm.openSource(badImage));
        fx(() -> vm.attachGroundTruth(tmp.resolve("missing_labels")));
        waitUntil("image and GT errors", 30, () -> vm.notifier().history().stream()
                .filter(m -> m.level() == Notifier.Level.ERROR).count() >= 4);
        // Everything the user had open still works.
        assertEquals(1, vm.panes().size());
        assumeTrue(Files.isRegularFile(camvidImage()));
        fx(() -> vm.openSource(camvidImage()));
        waitUntil("still predicting", 60, () -> vm.panes().get(0).result() != null);
        assertNotEquals(null, stage.getScene());
        assertTrue(stage.isShowing());
    }
}
