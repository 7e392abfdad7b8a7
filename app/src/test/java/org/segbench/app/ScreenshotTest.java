package org.segbench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.MatOfDouble;
import org.segbench.app.jobs.BackgroundJob;
import org.segbench.app.palette.ClassColors;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.engine.LabelSet;
import org.segbench.engine.render.ViewMode;
import org.segbench.engine.render.ViewRenderer;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;
import org.segbench.engine.source.ImageFiles;

/**
 * Writes PNGs of the main views to target/screenshots/ (look at them: this is how the tool looks),
 * and checks that each shows what it is meant to: every pane predicted, the IoU table filled,
 * hidden classes gone from the mask, the ablation's disagreement non-empty, a readable recording.
 * Uses the bundled models when there are some, else the engine's tiny test models.
 */
class ScreenshotTest extends UiTestSupport {

    @Test
    void mainViews() throws Exception {
        // 1. What ./workbench opens: the bundled defaults on the sample video, playing.
        fx(() -> open(AppOptions.parse("--root", ROOT.toString())));
        int n = AppOptions.defaultModels(ROOT).size();
        waitUntil("defaults loaded", 90, () -> vm.panes().size() == n);
        waitUntil("predictions", 90, () -> vm.panes().stream().allMatch(p -> p.result() != null));
        Thread.sleep(3000); // a few seconds of FPS history for the chart
        for (PaneViewModel p : vm.panes()) assertNotNull(p.pictureProperty().get(), p.nameWithId() + " shows nothing");
        screenshot("01-default-video-overlay");

        // 2. A CamVid val image with its ground truth: error map and the IoU table.
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        fx(() -> {
            vm.player().pause();
            vm.removeAllPanes();
        });
        // The bundled models are CamVid-trained (assets/models/README.md).
        List<Path> camvidModels = AppOptions.pickDefaults(AppOptions.onnxIn(ROOT.resolve("assets/models")));
        if (camvidModels.isEmpty()) {
            camvidModels = List.of(MODELS.resolve("tiny_camvid.onnx"), MODELS.resolve("tiny_lowres_logits.onnx"));
        }
        List<Path> models = camvidModels;
        fx(() -> models.forEach(vm::addModel));
        waitUntil("camvid models", 60, () -> vm.panes().size() == models.size());
        fx(() -> vm.openSource(CAMVID.resolve("val")));
        waitUntil("IoU rows", 60, () -> !vm.iou().rows().isEmpty()
                && !Double.isNaN(vm.iou().rows().get(vm.iou().rows().size() - 2).value(0)));
        fx(() -> vm.player().stepForward());
        // on a loaded machine a pane may still be on the video frame it was given when added
        waitUntil("every pane on the CamVid frame", 60, () -> vm.player().current() != null && vm.panes().stream()
                .allMatch(p -> p.result() != null && p.result().frame().key().equals(vm.player().current().key())));
        PaneViewModel errorPane = vm.panes().get(vm.panes().size() - 1);
        fx(() -> errorPane.viewModeProperty().set(ViewMode.ERROR));
        Thread.sleep(500);
        assertEquals("", errorPane.errorProperty().get(), "the error map has its ground truth");
        assertEquals(models.size(), vm.iou().columns().size());
        assertEquals(LabelSet.camvid().size() + 2, window.iouView().table().getItems().size(), "table rows shown");
        double miou = vm.iou().rows().get(LabelSet.camvid().size()).value(0);
        assertTrue(miou > 0 && miou <= 1, "mIoU " + miou);
        screenshot("02-camvid-error-map-iou");

        // 2a. The confusion matrix of the first model, its biggest confusion shown on its pane.
        PaneViewModel first = vm.panes().get(0);
        fx(() -> {
            vm.confusion().paneProperty().set(first);
            window.showSideTab(1);
        });
        waitUntil("a confusion matrix", 30, () -> vm.confusion().gridProperty().get() != null);
        var grid = vm.confusion().gridProperty().get();
        int[] cell = {0, 1};
        for (int g = 0; g < grid.size(); g++) {
            for (int p = 0; p < grid.size(); p++) {
                if (g != p && grid.counts()[g][p] > grid.counts()[cell[0]][cell[1]]) cell = new int[] {g, p};
            }
        }
        int[] chosen = cell;
        fx(() -> vm.confusion().select(chosen[0], chosen[1]));
        // the grid sums the frames seen so far; the pane shows the current one
        waitUntil("the cell on the pane", 30, () -> first.highlightedProperty().get() > 0);
        screenshot("08-confusion-matrix-cell");
        fx(() -> vm.confusion().clearSelection());

        // 2c. The confidence view: where the model hesitates (the other pane keeps its error map).
        fx(() -> first.viewModeProperty().set(ViewMode.CONFIDENCE));
        waitUntil("a confidence map", 30, () -> first.pictureProperty().get() != null && first.errorProperty().get().isEmpty());
        int[] heat = first.pictureProperty().get().argb();
        assertTrue(java.util.Arrays.stream(heat).distinct().count() > 50, "a confidence map has many levels");
        screenshot("10-confidence-view");
        fx(() -> {
            first.viewModeProperty().set(ViewMode.OVERLAY);
            window.showSideTab(0);
        });

        // 2b. "Evaluate whole folder" running in the background: progress and Cancel in the tool bar.
        BackgroundJob[] eval = new BackgroundJob[1];
        fx(() -> eval[0] = vm.evaluateFolder());
        assertNotNull(eval[0], "evaluation did not start");
        waitUntil("evaluation progress", 120, () -> eval[0].progressProperty().get() >= 0.03);
        screenshot("07-evaluate-folder-progress");
        fx(() -> eval[0].cancel());
        waitUntil("evaluation cancelled", 60, () -> vm.jobProperty().get() == null);

        // 2d. The frames evaluated so far, worst first.
        fx(() -> window.showSideTab(2));
        waitUntil("ranked frames", 30, () -> vm.ranking().rows().size() >= 3);
        var ranked = List.copyOf(vm.ranking().rows());
        for (int i = 1; i < ranked.size(); i++) {
            if (!Double.isNaN(ranked.get(i).meanIou())) assertTrue(ranked.get(i - 1).meanIou() <= ranked.get(i).meanIou(), "worst first");
        }
        screenshot("09-frames-worst-first");
        fx(() -> window.showSideTab(0));
        fx(() -> vm.player().seek(1));
        Thread.sleep(500);

        // 3. Mask view with two classes hidden in the legend: no pixel of their colours is drawn.
        PaneViewModel maskPane = vm.panes().get(0);
        fx(() -> {
            maskPane.viewModeProperty().set(ViewMode.MASK);
            vm.legend().entries().stream().filter(e -> e.name().equals("sky") || e.name().equals("road"))
                    .forEach(e -> e.visibleProperty().set(false));
        });
        Thread.sleep(500);
        LabelSet labels = maskPane.labels();
        Set<Integer> hiddenColours = Set.of(0xFF000000 | labels.rgb(labels.classes().indexOf("sky")),
                0xFF000000 | labels.rgb(labels.classes().indexOf("road")));
        int[] mask = maskPane.pictureProperty().get().argb();
        long transparent = 0;
        for (int px : mask) {
            assertFalse(hiddenColours.contains(px), "a hidden class is still drawn");
            if (px == 0) transparent++;
        }
        assertTrue(transparent > mask.length / 20, "sky and road should leave holes: " + transparent + " px");
        screenshot("03-mask-hidden-classes");
        fx(() -> vm.legend().showAll());

        // 4. The skip-connection ablation in one click.
        // The bundled (CamVid-trained) Fast-SCNN; until it exists, SPSSNet's skip_gain shows the same view.
        Path bundled = ROOT.resolve("assets/models");
        Path ablate = Files.isRegularFile(bundled.resolve("fastscnn.onnx")) ? bundled.resolve("fastscnn.onnx")
                : Files.isRegularFile(bundled.resolve("spssnet.onnx")) ? bundled.resolve("spssnet.onnx") : null;
        fx(() -> {
            if (ablate != null) vm.skipAblation(ablate); else vm.skipAblation();
        });
        waitUntil("ablation panes", 60, () -> vm.panes().size() == 2
                && vm.panes().stream().allMatch(p -> p.result() != null));
        fx(() -> vm.player().stepForward());
        Thread.sleep(2000);
        PaneViewModel gain0 = vm.panes().get(1);
        assertEquals(ViewMode.DISAGREEMENT, gain0.viewModeProperty().get());
        waitUntil("differ readout", 30, () -> gain0.hoverProperty().get().contains("% differ"));
        waitUntil("gain 0 differs from gain 1 somewhere", 30, () -> differing(gain0, vm.panes().get(0)) > 0);
        // The boundary columns come with the ablation: with ground truth, region and boundary deltas.
        assertTrue(vm.iou().showBoundaryProperty().get(), "the ablation shows boundary IoU");
        if (vm.iou().hasDelta()) {
            assertEquals(1 + 2 + 2 + 2, window.iouView().table().getColumns().size(), "class, 2 models, 2 boundary, Δ, Δ∂");
            int miouRow = vm.iou().rows().size() - 2;
            waitUntil("boundary mIoU", 30, () -> !Double.isNaN(vm.iou().rows().get(vm.iou().rows().size() - 2).boundaryValue(1)));
            double region = vm.iou().rows().get(miouRow).value(1), boundary = vm.iou().rows().get(miouRow).boundaryValue(1);
            assertTrue(boundary < region, "boundary mIoU " + boundary + " below region " + region);
        }
        screenshot("04-skip-ablation");

        // 5. Four panes on the sample video.
        fx(() -> vm.removeAllPanes());
        List<Path> four = new ArrayList<>(AppOptions.byPreference(AppOptions.onnxIn(ROOT.resolve("assets/models"))));
        for (String tiny : List.of("tiny_camvid.onnx", "tiny_fastscnn_cityscapes.onnx", "tiny_lowres_logits.onnx", "tiny_labelmap.onnx")) {
            four.add(MODELS.resolve(tiny));
        }
        List<Path> firstFour = List.copyOf(four.subList(0, 4));
        fx(() -> {
            firstFour.forEach(vm::addModel);
            vm.detachGroundTruth();
            vm.openSource(ROOT.resolve("sample-images/vtest.avi"));
            vm.player().play();
        });
        waitUntil("four panes", 60, () -> vm.panes().size() == 4 && vm.panes().stream().allMatch(p -> p.result() != null));
        fx(() -> {
            vm.panes().get(1).viewModeProperty().set(ViewMode.MASK);
            vm.panes().get(3).compareWithProperty().set(vm.panes().get(0));
            vm.panes().get(3).viewModeProperty().set(ViewMode.DISAGREEMENT);
            vm.referenceProperty().set(vm.panes().get(0));
        });
        Thread.sleep(4000);
        waitUntil("four pictures", 30, () -> vm.panes().stream().allMatch(p -> p.pictureProperty().get() != null));
        waitUntil("two different models differ somewhere", 30, () -> differing(vm.panes().get(3), vm.panes().get(0)) > 0);
        waitUntil("IoU against the reference", 30, () -> vm.iou().columns().size() == 3);
        screenshot("05-four-panes-video");

        // 5b. Two panes on the video: the timeline under the seek bar, a custom road colour.
        fx(() -> {
            vm.player().pause();
            vm.removePane(vm.panes().get(3));
            vm.removePane(vm.panes().get(2));
            vm.panes().get(1).viewModeProperty().set(ViewMode.DISAGREEMENT);
            vm.panes().get(1).compareWithProperty().set(vm.panes().get(0));
            vm.panes().get(0).viewModeProperty().set(ViewMode.MASK);
        });
        // Two models slower than the video seldom run the same frame while it plays: visit frames
        // across the video one at a time, each run by both panes, to mark the strip from end to end.
        long count = vm.player().frameCountProperty().get();
        for (int k = 0; k < 8; k++) {
            long index = count * k / 8;
            fx(() -> vm.player().seek(index));
            waitUntil("both panes on frame " + index, 90, () -> vm.player().current() != null
                    && vm.player().current().index() == index && vm.panes().stream().allMatch(p -> p.result() != null
                    && p.result().frame().key().equals(vm.player().current().key())));
        }
        waitUntil("the timeline marked", 30, () -> vm.timeline().frames().size() >= 8);
        PaneViewModel recoloured = vm.panes().get(0);
        int road = recoloured.labels().classes().indexOf("road");
        if (road >= 0) {
            fx(() -> vm.legend().entries().stream().filter(e -> e.name().equals("road"))
                    .forEach(e -> e.colorProperty().set(javafx.scene.paint.Color.rgb(0, 255, 127))));
            waitUntil("road in its new colour", 30, () -> recoloured.shownLabels().rgb(road) == 0x00FF7F);
        }
        Thread.sleep(500);
        screenshot("11-timeline-and-custom-road-colour");
        // the colour was remembered for the model: leave the user's preferences as they were
        // (the legend recolours the class in every pane that has it, so every pane's model)
        for (PaneViewModel p : List.copyOf(vm.panes())) {
            ClassColors.forUser().clear(p.model().path());
        }
        fx(() -> vm.player().play());

        // 6. A frame of a side-by-side recording, as written to the MP4: not a blank picture.
        Path mp4 = SCREENSHOTS.resolve("recording.mp4");
        fx(() -> assertTrue(vm.recording().start(mp4)));
        waitUntil("recorded frames", 60, () -> vm.recording().recorder() != null && vm.recording().recorder().written() >= 5);
        fx(() -> vm.recording().stop());
        waitUntil("recording finished", 30, () -> vm.notifier().history().stream().anyMatch(m -> m.title().equals("Recorded")));
        try (FrameSource back = FrameSources.open(mp4)) {
            back.seek(3);
            try (Frame f = back.next().orElseThrow()) {
                ImageFiles.write(SCREENSHOTS.resolve("06-recorded-mp4-frame.png"), f.bgr());
                double[] spread = new double[4];
                MatOfDouble mean = new MatOfDouble();
                MatOfDouble std = new MatOfDouble();
                Core.meanStdDev(f.bgr(), mean, std);
                std.get(0, 0, spread);
                assertTrue(spread[0] > 10, "recorded frame is flat: std " + spread[0]);
            }
        }
    }

    /** Pixels where two panes label their newest common frame differently; -1 while they share none. */
    private static long differing(PaneViewModel pane, PaneViewModel other) {
        return pane.latestCommonResult(other)
                .map(both -> ViewRenderer.differingPixels(both[0].prediction().labels(), both[1].prediction().labels()))
                .orElse(-1L);
    }
}
