package org.segbench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.input.MouseButton;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.jobs.BackgroundJob;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneView;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

/** Outputs, background evaluation, hover and the shared viewport, on real models and files. */
class WorkbenchActionsTest extends UiTestSupport {

    private void twoCamVidPanesOn(Path source) {
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx"), MODELS.resolve("tiny_lowres_logits.onnx")),
                source, null, false)));
        waitUntil("models", 60, () -> vm.panes().size() == 2);
        waitUntil("predictions", 60, () -> vm.panes().stream().allMatch(p -> p.result() != null));
    }

    @Test
    void savesTheComposedViewAndExportsTheIouCsv(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        twoCamVidPanesOn(camvidImage());
        waitUntil("IoU", 60, () -> vm.iou().rows().size() == 13 && !Double.isNaN(vm.iou().rows().get(11).value(0)));
        Path png = tmp.resolve("view.png");
        fx(() -> window.savePng(png));
        assertTrue(Files.size(png) > 20_000, "PNG too small");
        javafx.scene.image.Image img = new javafx.scene.image.Image(png.toUri().toString());
        assertTrue(img.getWidth() > 800 && img.getHeight() > 400, img.getWidth() + "x" + img.getHeight());

        Path csv = tmp.resolve("iou.csv");
        vm.iou().exportCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + 13, lines.size());
        assertTrue(lines.get(0).startsWith("class,Tiny"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("mIoU,")), "no mIoU line");
        String road = lines.stream().filter(l -> l.startsWith("road,")).findFirst().orElseThrow();
        assertEquals(3, road.split(",", -1).length);
    }

    @Test
    void recordsTheSideBySideViewToMp4(@TempDir Path tmp) throws Exception {
        twoCamVidPanesOn(ROOT.resolve("sample-images/vtest.avi"));
        Path mp4 = tmp.resolve("side-by-side.mp4");
        fx(() -> vm.recording().start(mp4));
        fx(() -> vm.player().play());
        waitUntil("a few recorded frames", 60, () -> vm.recording().recorder() != null && vm.recording().recorder().written() >= 8);
        fx(() -> {
            vm.player().pause();
            vm.recording().stop();
        });
        waitUntil("file finished", 30, () -> vm.notifier().history().stream().anyMatch(m -> m.title().equals("Recorded")));
        assertTrue(Files.size(mp4) > 5_000, "MP4 too small");
        int frames = 0;
        try (FrameSource back = FrameSources.open(mp4)) {
            Optional<Frame> f;
            while ((f = back.next()).isPresent()) {
                try (Frame fr = f.get()) {
                    assertTrue(fr.width() > 600, "recorded width " + fr.width());
                }
                frames++;
            }
        }
        assertTrue(frames >= 8, "decoded " + frames + " frames");
    }

    @Test
    void evaluatesTheWholeFolderInTheBackgroundWithProgressAndCancel() {
        assumeTrue(Files.isDirectory(CAMVID.resolve("val")), "needs ../shared/datasets/camvid");
        twoCamVidPanesOn(CAMVID.resolve("val"));
        waitUntil("GT beside val/", 20, () -> vm.groundTruthProperty().get() != null);
        BackgroundJob[] task = new BackgroundJob[1];
        fx(() -> task[0] = vm.evaluateFolder());
        assertNotNull(task[0]);
        assertTrue(vm.jobProperty().get() != null, "job not shown");
        waitUntil("progress", 120, () -> task[0].progressProperty().get() >= 0.04);
        fx(() -> task[0].cancel());
        waitUntil("job gone", 60, () -> vm.jobProperty().get() == null);
        // The table counts the images evaluated so far (several), not just the frame on screen.
        waitUntil("several frames counted", 30, () -> vm.iou().captionProperty().get().matches(".*· ([3-9]|\\d\\d+) frames.*"));
        assertTrue(!Double.isNaN(vm.iou().rows().get(11).value(0)));
    }

    @Test
    void hoverShowsClassAndScoreInEveryPaneAndZoomPanIsShared() {
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        twoCamVidPanesOn(camvidImage());
        PaneView left = window.grid().viewOf(vm.panes().get(0));
        fx(() -> window.fit());
        Point2D centre = left.canvas().localToScreen(left.canvas().getWidth() / 2, left.canvas().getHeight() / 2);
        moveTo(centre);
        waitUntil("hover text", 10, () -> vm.panes().stream().allMatch(p -> p.hoverProperty().get().matches("\\(\\d+,\\d+\\) .+ 0\\.\\d\\d")));
        for (PaneViewModel p : vm.panes()) {
            String h = p.hoverProperty().get();
            assertTrue(p.labels().classes().stream().anyMatch(h::contains), h);
        }
        double zoom = vm.viewport().zoom();
        scroll(3, VerticalDirection.UP);
        waitUntil("zoomed", 5, () -> vm.viewport().zoom() != zoom);
        double panX = vm.viewport().panX();
        drag(centre, MouseButton.PRIMARY).dropBy(40, 0);
        waitUntil("panned", 5, () -> Math.abs(vm.viewport().panX() - panX - 40) < 2);
        // One viewport: the other pane is drawn through the same zoom and pan.
        PaneView right = window.grid().viewOf(vm.panes().get(1));
        assertTrue(right.canvas().image() != null);
        fx(() -> window.fit());
        assertTrue(vm.viewport().isFitMode());
    }

    @Test
    void webcamWithoutADeviceSaysSo() {
        fx(() -> open(options(List.of(), null, null, false)));
        fx(() -> vm.openWebcam(7));
        waitUntil("webcam message", 30, () -> vm.notifier().history().stream()
                .anyMatch(m -> m.level() == Notifier.Level.ERROR && m.title().contains("webcam")));
        String text = vm.notifier().history().stream().filter(m -> m.title().contains("webcam")).findFirst().orElseThrow().text();
        assertTrue(text.contains("video7"), text);
    }
}
