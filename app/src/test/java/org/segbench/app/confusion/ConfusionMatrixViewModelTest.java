package org.segbench.app.confusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.pane.PanePicture;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.GroundTruthContext;
import org.segbench.app.testing.Panes;
import org.segbench.app.testing.TestFiles;
import org.segbench.app.testing.Workbench;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.metrics.ConfusionMatrix;
import org.segbench.engine.render.ViewRenderer;

/** The confusion matrix of a real model on a CamVid frame, and a cell shown on the pane. */
class ConfusionMatrixViewModelTest {
    private final Workbench wb = new Workbench(ViewContext.NONE);
    private final FxThreadStandIn fx = wb.fx;

    @AfterEach
    void tearDown() { wb.close(); }

    @Test
    void theHeatMapIsTheFramesConfusionMatrixAndACellHighlightsExactlyItsPixels() throws Exception {
        assumeTrue(Files.isRegularFile(TestFiles.camvidVal("0016E5_07959")), "needs ../shared/datasets/camvid");
        SourceFrame frame = TestFiles.frame(TestFiles.camvidVal("0016E5_07959"), 1);
        GroundTruthIndex gt = GroundTruthIndex.open(TestFiles.CAMVID.resolve("valannot"));
        fx.run(() -> wb.groundTruth.set(gt));
        PaneViewModel pane = Panes.open(1, TestFiles.MODELS.resolve("tiny_camvid.onnx"), wb.notifier, fx,
                new GroundTruthContext(wb.groundTruth));
        pane.setOnResult(wb.scoring::onPaneResult);
        fx.run(() -> wb.panes.add(pane));
        ConfusionMatrixViewModel vm = fx.call(() -> new ConfusionMatrixViewModel(wb.ws, wb.scoring));
        assertEquals(pane, fx.call(() -> vm.paneProperty().get()), "the first pane is chosen");
        pane.submit(frame);
        fx.await("a matrix", 60, () -> vm.gridProperty().get() != null && vm.gridProperty().get().frames() == 1);

        LabelMap truth = gt.read(frame).orElseThrow();
        LabelMap prediction = fx.call(() -> pane.result().prediction().labels());
        ConfusionMatrix expected = ConfusionMatrix.of(LabelSet.camvid());
        expected.add(truth, prediction);
        ConfusionGrid grid = fx.call(() -> vm.gridProperty().get());
        assertEquals(LabelSet.camvid().classes(), grid.names());
        int bestRow = -1, bestCol = -1;
        for (int g = 0; g < grid.size(); g++) {
            for (int p = 0; p < grid.size(); p++) {
                assertEquals(expected.count(g, p), grid.counts()[g][p], "count " + g + "," + p);
                long row = expected.groundTruthPixels(g);
                if (row > 0) assertEquals(expected.count(g, p) / (double) row, grid.share()[g][p], 1e-12);
                else assertTrue(Double.isNaN(grid.share()[g][p]));
                // the biggest confusion (off the diagonal) is the cell to look at
                if (g != p && (bestRow < 0 || grid.counts()[g][p] > grid.counts()[bestRow][bestCol])) {
                    bestRow = g;
                    bestCol = p;
                }
            }
        }
        long cellCount = grid.counts()[bestRow][bestCol];
        assertTrue(cellCount > 0, "the tiny model confuses something");
        assertTrue(fx.call(() -> vm.describe(0, 0)).startsWith("truth sky → predicted sky: "), fx.call(() -> vm.describe(0, 0)));

        int row = bestRow, col = bestCol;
        fx.run(() -> vm.select(row, col));
        fx.await("the cell on the pane", 10, () -> pane.highlightedProperty().get() == cellCount);
        PanePicture picture = fx.call(() -> pane.pictureProperty().get());
        byte[] g = truth.labels(), p = prediction.labels();
        for (int i = 0; i < g.length; i++) {
            boolean inCell = (g[i] & 0xFF) == row && (p[i] & 0xFF) == col;
            assertEquals(inCell, picture.argb()[i] == ViewRenderer.HIGHLIGHT, "pixel " + i);
        }
        assertTrue(fx.call(() -> vm.cellInfoProperty().get()).contains(String.format("%,d px", cellCount)));

        // The same cell again clears the highlight.
        fx.run(() -> vm.select(row, col));
        assertNull(fx.call(() -> pane.highlightProperty().get()));
        fx.await("highlight gone", 10, () -> pane.highlightedProperty().get() == -1);
        assertNotNull(fx.call(() -> pane.pictureProperty().get()));
    }
}
