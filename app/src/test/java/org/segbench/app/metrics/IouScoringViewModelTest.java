package org.segbench.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.Panes;
import org.segbench.app.testing.TestFiles;
import org.segbench.app.testing.Workbench;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.metrics.BoundaryBand;
import org.segbench.engine.metrics.ConfusionMatrix;

/** IoU scoring without a stage: real models, a real CamVid frame and its label file. */
class IouScoringViewModelTest {
    private final Workbench wb = new Workbench(ViewContext.NONE);
    private final FxThreadStandIn fx = wb.fx;
    private final IouScoringViewModel scoring = wb.scoring;
    private SourceFrame frame;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isRegularFile(TestFiles.camvidVal("0016E5_07959")), "needs ../shared/datasets/camvid");
        frame = TestFiles.frame(TestFiles.camvidVal("0016E5_07959"), 1);
    }

    @AfterEach
    void tearDown() { wb.close(); }

    private PaneViewModel pane(int id, String model) throws Exception {
        PaneViewModel p = Panes.open(id, TestFiles.MODELS.resolve(model), wb.notifier, fx, ViewContext.NONE);
        p.setOnResult(scoring::onPaneResult);
        fx.run(() -> wb.panes.add(p));
        return p;
    }

    /** Two panes given the frame, with CamVid's label files attached first. */
    private List<PaneViewModel> twoPanesWithGroundTruth(String first, String second) throws Exception {
        GroundTruthIndex gt = GroundTruthIndex.open(TestFiles.CAMVID.resolve("valannot"));
        fx.run(() -> wb.groundTruth.set(gt));
        List<PaneViewModel> two = List.of(pane(1, first), pane(2, second));
        two.forEach(p -> p.submit(frame));
        return two;
    }

    @Test
    void eachPaneIsScoredAgainstTheGroundTruthOfItsFrame() throws Exception {
        List<PaneViewModel> two = twoPanesWithGroundTruth("tiny_camvid.onnx", "tiny_lowres_logits.onnx");
        IouTableViewModel table = scoring.table();
        int miouRow = LabelSet.camvid().size();
        fx.await("both columns scored", 60, () -> table.columns().size() == 2 && table.rows().size() == miouRow + 2
                && !Double.isNaN(table.rows().get(miouRow).value(0)) && !Double.isNaN(table.rows().get(miouRow).value(1)));
        // The table holds exactly what a confusion matrix of prediction against label file says.
        LabelMap truth = fx.call(wb.groundTruth::get).read(frame).orElseThrow();
        for (int col = 0; col < 2; col++) {
            PaneViewModel p = two.get(col);
            ConfusionMatrix expected = ConfusionMatrix.of(LabelSet.camvid());
            expected.add(truth, fx.call(() -> p.result().prediction().labels()));
            int c = col;
            assertEquals(expected.meanIou(), fx.call(() -> table.rows().get(miouRow).value(c)), 1e-12);
            assertEquals(expected.pixelAccuracy(), fx.call(() -> table.rows().get(miouRow + 1).value(c)), 1e-12);
            // The boundary columns: the same counts on the 3 px band around the label file's edges only.
            ConfusionMatrix band = ConfusionMatrix.of(LabelSet.camvid());
            band.add(BoundaryBand.restrict(truth, BoundaryBand.of(truth, IouAccumulator.BOUNDARY_PX)),
                    fx.call(() -> p.result().prediction().labels()));
            assertEquals(band.meanIou(), fx.call(() -> table.rows().get(miouRow).boundaryValue(c)), 1e-12);
            for (int k = 0; k < LabelSet.camvid().size(); k++) {
                int cls = k;
                assertEquals(band.iou(k), fx.call(() -> table.rows().get(cls).boundaryValue(c)), 1e-12, "class " + k);
            }
            assertTrue(band.pixelAccuracy() < expected.pixelAccuracy(), "edges are harder than the whole frame");
        }
        // With the boundary columns on, the CSV has them too.
        java.nio.file.Path csv = java.nio.file.Files.createTempFile("iou", ".csv");
        fx.run(() -> table.showBoundaryProperty().set(true));
        fx.run(() -> {
            try {
                table.exportCsv(csv);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String header = java.nio.file.Files.readAllLines(csv).get(0);
        java.nio.file.Files.delete(csv);
        assertTrue(header.contains(",boundary Tiny"), header);
        assertTrue(fx.call(() -> table.captionProperty().get()).contains("· 1 frame"), fx.call(() -> table.captionProperty().get()));
    }

    @Test
    void aModelTrainedOnTheFrameIsNamedInTheCaption(@TempDir Path tmp) throws Exception {
        Path model = Files.copy(TestFiles.MODELS.resolve("tiny_no_metadata.onnx"), tmp.resolve("seen.onnx"));
        Files.writeString(tmp.resolve("seen.onnx.json"), "{\"name\": \"Seen\", \"dataset\": \"camvid\","
                + " \"training_images\": [\"0016E5_07959\"]}");
        List<PaneViewModel> two = twoPanesWithGroundTruth("tiny_camvid.onnx", model.toString());
        IouTableViewModel table = scoring.table();
        int miouRow = LabelSet.camvid().size();
        fx.await("both columns scored", 60, () -> table.columns().size() == 2 && table.rows().size() == miouRow + 2
                && !Double.isNaN(table.rows().get(miouRow).value(1)));
        String caption = fx.call(() -> table.captionProperty().get());
        assertTrue(caption.contains("Seen #2 was trained on 1 of these frames (training figures)"), caption);
        assertFalse(caption.contains(two.get(0).nameWithId() + " was trained"), caption);
    }

    @Test
    void withoutGroundTruthTheReferencePaneIsTheTruth() throws Exception {
        PaneViewModel a = pane(1, "tiny_camvid.onnx");
        PaneViewModel same = pane(2, "tiny_camvid.onnx");
        fx.run(() -> wb.reference.set(a));
        assertTrue(fx.call(scoring::referenceScoring));
        a.submit(frame);
        same.submit(frame);
        IouTableViewModel table = scoring.table();
        int accRow = LabelSet.camvid().size() + 1;
        fx.await("the other pane scored", 60, () -> table.columns().size() == 1
                && table.rows().size() == accRow + 1 && !Double.isNaN(table.rows().get(accRow).value(0)));
        // The same model on the same frame agrees with itself everywhere.
        assertEquals(1.0, fx.call(() -> table.rows().get(accRow).value(0)), 1e-12);
        assertTrue(fx.call(() -> table.captionProperty().get()).contains("against the reference pane " + a.nameWithId()),
                fx.call(() -> table.captionProperty().get()));
        // Resetting empties the counts.
        fx.run(scoring::reset);
        fx.await("counts reset", 10, () -> Double.isNaN(table.rows().get(accRow).value(0)));
    }

    @Test
    void aPaneWhoseClassesDoNotFitTheGroundTruthIsNamedInTheCaption() throws Exception {
        twoPanesWithGroundTruth("tiny_camvid.onnx", "tiny_fastscnn_cityscapes.onnx");
        IouTableViewModel table = scoring.table();
        int miouRow = LabelSet.camvid().size();
        fx.await("the CamVid pane scored", 60, () -> table.rows().size() == miouRow + 2
                && !Double.isNaN(table.rows().get(miouRow).value(0)));
        assertTrue(Double.isNaN(fx.call(() -> table.rows().get(miouRow).value(1))), "19 classes scored against CamVid");
        assertTrue(fx.call(() -> table.captionProperty().get()).contains("19 classes do not fit camvid"),
                fx.call(() -> table.captionProperty().get()));
    }
}
