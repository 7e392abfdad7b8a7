package org.segbench.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.testing.TestFiles;
import org.segbench.app.testing.Workbench;
import org.segbench.app.source.SourceFrame;
import org.segbench.engine.Prediction;
import org.segbench.engine.Size;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;
import org.segbench.engine.NormalisationPreset;

/** Model loading without a stage: real ONNX files, good and bad. */
class ModelLoadingViewModelTest {
    private final Workbench wb = new Workbench(ViewContext.NONE);

    @AfterEach
    void tearDown() { wb.close(); }

    @Test
    void aLoadedModelBecomesAPaneWithItsKnobValuesAndARecentEntry() throws Exception {
        Path model = TestFiles.MODELS.resolve("tiny_fastscnn_cityscapes.onnx");
        PaneViewModel pane = wb.fx.call(() -> wb.models.addModel(model, Map.of("skip_gain", 0.25f))).get(60, TimeUnit.SECONDS);
        assertEquals(1, wb.fx.call(wb.panes::size));
        assertEquals(0.25, pane.knobValues().get("skip_gain"), 1e-6);
        assertFalse(wb.fx.call(() -> wb.models.loadingProperty().get()));
        assertEquals(model.toAbsolutePath().normalize(), wb.fx.call(() -> wb.models.recentModels().get(0)));
    }

    @Test
    void aModelWithSubnormalWeightsSaysTheyWereFlushed() throws Exception {
        PaneViewModel flushed = wb.fx.call(() -> wb.models.addModel(
                TestFiles.MODELS.resolve("foreign_subnormal_weights.onnx"), Map.of())).get(60, TimeUnit.SECONDS);
        PaneViewModel plain = wb.fx.call(() -> wb.models.addModel(
                TestFiles.MODELS.resolve("tiny_camvid.onnx"), Map.of())).get(60, TimeUnit.SECONDS);
        String details = wb.fx.call(() -> flushed.detailsProperty().get());
        assertTrue(details.matches("(?s).* · \\d+ subnormal weights flushed to zero.*"), details);
        assertFalse(wb.fx.call(() -> plain.detailsProperty().get()).contains("subnormal"));
    }

    @Test
    void aBundledModelsDetailsGiveItsOwnFigureAndHowItWasTrained() throws Exception {
        PaneViewModel bundled = wb.fx.call(() -> wb.models.addModel(
                TestFiles.BUNDLED.resolve("ndnet45.onnx"), Map.of())).get(60, TimeUnit.SECONDS);
        PaneViewModel fixture = wb.fx.call(() -> wb.models.addModel(
                TestFiles.MODELS.resolve("tiny_no_metadata.onnx"), Map.of())).get(60, TimeUnit.SECONDS);
        String details = wb.fx.call(() -> bundled.detailsProperty().get());
        double figure = bundled.model().metadata().valMiou().orElseThrow();
        assertTrue(details.contains(String.format(java.util.Locale.ROOT, "val mIoU %.2f %%", figure)), details);
        assertTrue(details.contains("training: " + bundled.model().metadata().training()), details);
        String none = wb.fx.call(() -> fixture.detailsProperty().get());
        assertFalse(none.contains("val mIoU") || none.contains("training:"), none);
    }

    @Test
    void aBadFileIsNotifiedByNameAndOpenPanesStay(@TempDir Path tmp) throws Exception {
        wb.fx.call(() -> wb.models.addModel(TestFiles.MODELS.resolve("tiny_camvid.onnx"), Map.of())).get(60, TimeUnit.SECONDS);
        Path garbage = tmp.resolve("broken_model.onnx");
        Files.writeString(garbage, "this is not a protobuf");
        var failed = wb.fx.call(() -> wb.models.addModel(garbage, Map.of()));
        assertThrows(ExecutionException.class, () -> failed.get(60, TimeUnit.SECONDS));
        assertTrue(wb.notifier.history().stream().anyMatch(m -> m.level() == Notifier.Level.ERROR
                && m.title().equals("Cannot open model broken_model.onnx")), wb.notifier.history().toString());
        assertEquals(1, wb.fx.call(wb.panes::size));
        assertFalse(wb.fx.call(() -> wb.models.loadingProperty().get()));
    }

    @Test
    void aPaneRunsAtTheSizeItsModelWasTrainedAtAndTheFrameSizeStaysAChoice() throws Exception {
        Path fastscnn = TestFiles.BUNDLED.resolve("fastscnn.onnx");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(fastscnn), "needs the bundled Fast-SCNN");
        Size trained = ModelLoadingViewModel.trainedInputSize(fastscnn).orElseThrow();
        assertEquals(new Size(360, 480), trained, "the bundled CamVid models declare input_size 360x480");
        assertEquals(java.util.Optional.empty(),
                ModelLoadingViewModel.trainedInputSize(TestFiles.MODELS.resolve("tiny_no_metadata.onnx")));

        PaneViewModel pane = wb.fx.call(() -> wb.models.addModel(fastscnn, Map.of())).get(120, TimeUnit.SECONDS);
        assertEquals(java.util.Optional.of(trained), pane.model().options().inputSize());
        // a 576x768 video frame runs at 360x480, and the labels come back at the frame's size
        SourceFrame frame = videoFrame();
        Prediction p = pane.predict(frame.toMat());
        assertEquals(trained, p.inputSize());
        assertEquals(768, p.labels().width());

        // the Device menu's "frame size" re-opens it at the frame's own size (rounded to 32)
        wb.fx.run(() -> wb.models.switchInputSize(pane, null));
        wb.fx.await("re-opened at the frame's size", 120, () -> {
            pane.submit(frame); // the worker swaps the re-opened model in between two frames
            return pane.model() != null && pane.model().options().inputSize().isEmpty();
        });
    }

    private static SourceFrame videoFrame() throws Exception {
        try (FrameSource video = FrameSources.open(TestFiles.ROOT.resolve("sample-images/vtest.avi"));
             Frame f = video.next().orElseThrow()) {
            return SourceFrame.copyOf(f.bgr(), 1, f.index(), video.frameCount(), f.timestampMs(), f.file(), "vtest");
        }
    }

    @Test
    void aFifthPaneIsRefused() throws Exception {
        Path model = TestFiles.MODELS.resolve("tiny_camvid.onnx");
        for (int i = 0; i < ModelLoadingViewModel.MAX_PANES; i++) {
            wb.fx.call(() -> wb.models.addModel(model, Map.of()));
        }
        var fifth = wb.fx.call(() -> wb.models.addModel(model, Map.of()));
        assertTrue(fifth.isCompletedExceptionally());
        assertTrue(wb.notifier.history().stream().anyMatch(m -> m.text().equals("at most 4 panes: remove one first")));
        wb.fx.await("four panes", 120, () -> wb.panes.size() == ModelLoadingViewModel.MAX_PANES);
    }

    @Test
    void aModelWithoutMetadataWarnsOfTheAssumedNormalisationUntilAPresetIsChosen() throws Exception {
        Path bare = TestFiles.MODELS.resolve("tiny_no_metadata.onnx");
        PaneViewModel pane = wb.fx.call(() -> wb.models.addModel(bare, Map.of())).get(60, TimeUnit.SECONDS);
        assertEquals("no metadata: ImageNet normalisation assumed", wb.fx.call(() -> pane.normalisationNoteProperty().get()));
        assertTrue(wb.fx.call(() -> pane.conventionsProperty().get()).contains("= imagenet (assumed)"));
        wb.fx.call(() -> { wb.models.switchNormalisation(pane, NormalisationPreset.RAW255); return null; });
        wb.fx.await("preset applied", 60, () -> pane.normalisationNoteProperty().get().isEmpty());
        assertTrue(wb.fx.call(() -> pane.conventionsProperty().get()).contains("= raw255 (chosen)"),
                wb.fx.call(() -> pane.conventionsProperty().get()));
    }

    @Test
    void aModelWithMetadataShowsNoBannerAndSaysWhereItsNormalisationCameFrom() throws Exception {
        Path model = TestFiles.MODELS.resolve("tiny_camvid.onnx");
        PaneViewModel pane = wb.fx.call(() -> wb.models.addModel(model, Map.of())).get(60, TimeUnit.SECONDS);
        assertEquals("", wb.fx.call(() -> pane.normalisationNoteProperty().get()));
        assertTrue(wb.fx.call(() -> pane.conventionsProperty().get()).startsWith("nchw in · nchw out · rgb · mean"));
        assertTrue(wb.fx.call(() -> pane.conventionsProperty().get()).endsWith("(metadata)"));
    }
}
