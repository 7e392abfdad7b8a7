package org.segbench.app.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.metrics.IouTableViewModel;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.testing.TestFiles;
import org.segbench.app.testing.Workbench;
import org.segbench.engine.LabelSet;
import org.segbench.engine.render.ViewMode;

/** The skip ablation without a stage: the bundled CamVid Fast-SCNN on a CamVid frame with its labels. */
class SkipAblationViewModelTest {
    private final Workbench wb = new Workbench(ViewContext.NONE);

    @AfterEach
    void tearDown() { wb.close(); }

    private SkipAblationViewModel ablation(Path modelFolder) {
        return new SkipAblationViewModel(wb.ws, modelFolder, wb.models, wb.scoring, wb::removeAllPanes);
    }

    @Test
    void gainOneAndZeroSideBySideWithTheirPerClassDifference() throws Exception {
        Path fastScnn = TestFiles.BUNDLED.resolve("fastscnn.onnx");
        assumeTrue(Files.isRegularFile(fastScnn), "needs the bundled Fast-SCNN");
        assumeTrue(Files.isRegularFile(TestFiles.camvidVal("0016E5_07959")), "needs ../shared/datasets/camvid");
        SkipAblationViewModel ablation = ablation(TestFiles.BUNDLED);
        assertEquals(Optional.of(fastScnn), ablation.fastScnnModel());
        GroundTruthIndex gt = GroundTruthIndex.open(TestFiles.CAMVID.resolve("valannot"));
        wb.fx.run(() -> wb.groundTruth.set(gt));

        List<PaneViewModel> pair = wb.fx.call(() -> ablation.run(fastScnn)).get(120, TimeUnit.SECONDS);
        PaneViewModel gain1 = pair.get(0), gain0 = pair.get(1);
        assertEquals(List.of(gain1, gain0), wb.fx.call(() -> List.copyOf(wb.panes)));
        assertEquals(1.0, gain1.knobValues().get(SkipAblationViewModel.SKIP_KNOB), 1e-6);
        assertEquals(0.0, gain0.knobValues().get(SkipAblationViewModel.SKIP_KNOB), 1e-6);
        assertTrue(gain1.name().endsWith(" · skip 1") && gain0.name().endsWith(" · skip 0"), gain0.name());
        assertEquals(ViewMode.DISAGREEMENT, wb.fx.call(() -> gain0.viewModeProperty().get()));
        assertSame(gain1, wb.fx.call(() -> gain0.compareWithProperty().get()));
        assertSame(gain1, wb.fx.call(wb.reference::get));

        SourceFrame frame = TestFiles.frame(TestFiles.camvidVal("0016E5_07959"), 1);
        gain1.submit(frame);
        gain0.submit(frame);
        IouTableViewModel table = wb.scoring.table();
        int miouRow = LabelSet.camvid().size();
        wb.fx.await("delta column with both scored", 120, () -> table.hasDelta() && table.rows().size() == miouRow + 2
                && !Double.isNaN(table.rows().get(miouRow).value(0)) && !Double.isNaN(table.rows().get(miouRow).value(1)));
        assertEquals(0, wb.fx.call(() -> table.deltaAProperty().get()));
        assertEquals(1, wb.fx.call(() -> table.deltaBProperty().get()));
        // The disagreement pane says how much gain 0 changes, and shows it.
        wb.fx.await("differ readout", 30, () -> gain0.hoverProperty().get().matches("\\d+\\.\\d% differ on #0"));
        assertTrue(wb.fx.call(() -> gain0.pictureProperty().get()) != null);
    }

    @Test
    void withoutABundledFastScnnItWarnsInsteadOfReachingIntoTestResources(@TempDir Path empty) {
        SkipAblationViewModel ablation = ablation(empty);
        assertEquals(Optional.empty(), ablation.fastScnnModel());
        wb.fx.run(ablation::run);
        assertTrue(wb.notifier.history().stream().anyMatch(m -> m.level() == Notifier.Level.WARNING
                && m.title().equals("Skip-connection ablation")), wb.notifier.history().toString());
        assertEquals(0, wb.fx.call(wb.panes::size));
    }
}
