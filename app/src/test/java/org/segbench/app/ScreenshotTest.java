package org.segbench.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.engine.render.ViewMode;

/**
 * Writes PNGs of the main views to target/screenshots/ (look at them: this is how the tool looks).
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
        screenshot("01-default-video-overlay");

        // 2. A CamVid val image with its ground truth: error map and the IoU table.
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        fx(() -> {
            vm.player().pause();
            vm.removeAllPanes();
        });
        // The bundled models are CamVid-trained (assets/models/README.md).
        List<java.nio.file.Path> camvidModels = AppOptions.pickDefaults(AppOptions.onnxIn(ROOT.resolve("assets/models")));
        if (camvidModels.isEmpty()) {
            camvidModels = List.of(MODELS.resolve("tiny_camvid.onnx"), MODELS.resolve("tiny_lowres_logits.onnx"));
        }
        List<java.nio.file.Path> models = camvidModels;
        fx(() -> models.forEach(vm::addModel));
        waitUntil("camvid models", 60, () -> vm.panes().size() == models.size());
        fx(() -> vm.openSource(CAMVID.resolve("val")));
        waitUntil("IoU rows", 60, () -> !vm.iou().rows().isEmpty()
                && !Double.isNaN(vm.iou().rows().get(vm.iou().rows().size() - 2).value(0)));
        fx(() -> vm.player().stepForward());
        Thread.sleep(1500);
        fx(() -> vm.panes().get(vm.panes().size() - 1).viewModeProperty().set(ViewMode.ERROR));
        Thread.sleep(500);
        screenshot("02-camvid-error-map-iou");

        // 2b. "Evaluate whole folder" running in the background: progress and Cancel in the tool bar.
        javafx.concurrent.Task<?>[] eval = new javafx.concurrent.Task<?>[1];
        fx(() -> eval[0] = vm.evaluateFolder());
        waitUntil("evaluation progress", 120, () -> eval[0].getProgress() >= 0.03);
        screenshot("07-evaluate-folder-progress");
        fx(() -> eval[0].cancel());
        waitUntil("evaluation cancelled", 60, () -> vm.jobProperty().get() == null);
        fx(() -> vm.player().seek(1));
        Thread.sleep(500);

        // 3. Mask view with two classes hidden in the legend.
        fx(() -> {
            vm.panes().get(0).viewModeProperty().set(ViewMode.MASK);
            vm.legend().entries().stream().filter(e -> e.name().equals("sky") || e.name().equals("road"))
                    .forEach(e -> e.visibleProperty().set(false));
        });
        Thread.sleep(500);
        screenshot("03-mask-hidden-classes");
        fx(() -> vm.legend().showAll());

        // 4. The skip-connection ablation in one click.
        // The bundled (CamVid-trained) Fast-SCNN; until it exists, SPSSNet's skip_gain shows the same view.
        java.nio.file.Path bundled = ROOT.resolve("assets/models");
        java.nio.file.Path ablate = Files.isRegularFile(bundled.resolve("fastscnn.onnx")) ? bundled.resolve("fastscnn.onnx")
                : Files.isRegularFile(bundled.resolve("spssnet.onnx")) ? bundled.resolve("spssnet.onnx") : null;
        fx(() -> {
            if (ablate != null) vm.skipAblation(ablate); else vm.skipAblation();
        });
        waitUntil("ablation panes", 60, () -> vm.panes().size() == 2
                && vm.panes().stream().allMatch(p -> p.result() != null));
        fx(() -> vm.player().stepForward());
        Thread.sleep(2000);
        screenshot("04-skip-ablation");

        // 5. Four panes on the sample video.
        fx(() -> vm.removeAllPanes());
        List<java.nio.file.Path> four = new java.util.ArrayList<>(AppOptions.byPreference(AppOptions.onnxIn(ROOT.resolve("assets/models"))));
        for (String tiny : List.of("tiny_camvid.onnx", "tiny_fastscnn_cityscapes.onnx", "tiny_lowres_logits.onnx", "tiny_labelmap.onnx")) {
            four.add(MODELS.resolve(tiny));
        }
        List<java.nio.file.Path> firstFour = List.copyOf(four.subList(0, 4));
        fx(() -> {
            firstFour.forEach(vm::addModel);
            vm.detachGroundTruth();
            vm.openSource(ROOT.resolve("sample-images/vtest.avi"));
            vm.player().play();
        });
        waitUntil("four panes", 60, () -> vm.panes().size() == 4 && vm.panes().stream().allMatch(p -> p.result() != null));
        fx(() -> {
            PaneViewModel p = vm.panes().get(1);
            p.viewModeProperty().set(ViewMode.MASK);
            vm.panes().get(3).compareWithProperty().set(vm.panes().get(0));
            vm.panes().get(3).viewModeProperty().set(ViewMode.DISAGREEMENT);
            vm.referenceProperty().set(vm.panes().get(0));
        });
        Thread.sleep(4000);
        screenshot("05-four-panes-video");

        // 6. A frame of a side-by-side recording, as written to the MP4.
        java.nio.file.Path mp4 = SCREENSHOTS.resolve("recording.mp4");
        fx(() -> window.startRecording(mp4));
        waitUntil("recorded frames", 60, () -> window.recorder() != null && window.recorder().written() >= 5);
        fx(() -> window.stopRecording());
        waitUntil("recording finished", 30, () -> vm.notifier().history().stream().anyMatch(m -> m.title().equals("Recorded")));
        try (org.segbench.engine.source.FrameSource back = org.segbench.engine.source.FrameSources.open(mp4)) {
            back.seek(3);
            try (org.segbench.engine.source.Frame f = back.next().orElseThrow()) {
                org.segbench.engine.source.ImageFiles.write(SCREENSHOTS.resolve("06-recorded-mp4-frame.png"), f.bgr());
            }
        }
    }
}
