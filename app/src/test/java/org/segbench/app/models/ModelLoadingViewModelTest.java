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
