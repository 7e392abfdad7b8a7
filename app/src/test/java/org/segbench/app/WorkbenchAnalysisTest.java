package org.segbench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;

import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.TableRow;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;

import org.junit.jupiter.api.Test;
import org.segbench.app.confusion.ConfusionGrid;
import org.segbench.app.jobs.BackgroundJob;
import org.segbench.app.pane.PanePicture;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.ranking.FrameRow;
import org.segbench.engine.LabelMap;
import org.segbench.engine.render.ViewRenderer;

/** The analysis views by mouse: confusion-matrix cell, ranked frames, disagreement timeline. */
class WorkbenchAnalysisTest extends UiTestSupport {

    @Test
    void clickingAConfusionCellHighlightsItsPixelsOnThePane() {
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), camvidImage(), CAMVID.resolve("valannot"), false)));
        waitUntil("a prediction", 60, () -> vm.panes().size() == 1 && vm.panes().get(0).result() != null);
        fx(() -> window.showSideTab(1));
        waitUntil("a confusion matrix", 60, () -> vm.confusion().gridProperty().get() != null);
        PaneViewModel pane = vm.panes().get(0);
        ConfusionGrid grid = vm.confusion().gridProperty().get();
        int row = -1, col = -1;
        for (int g = 0; g < grid.size(); g++) {
            for (int p = 0; p < grid.size(); p++) {
                if (g != p && (row < 0 || grid.counts()[g][p] > grid.counts()[row][col])) {
                    row = g;
                    col = p;
                }
            }
        }
        long expected = grid.counts()[row][col];
        assertTrue(expected > 0, "nothing confused");

        Point2D inCanvas = window.confusionView().cellCenter(row, col);
        moveTo(window.confusionView().canvas().localToScreen(inCanvas));
        String name = grid.names().get(row);
        waitUntil("hover gives the counts", 10, () -> lookupText("#confusion-hover").startsWith("truth " + name + " → predicted "));
        assertTrue(lookupText("#confusion-hover").contains(String.format("%,d px", expected)), lookupText("#confusion-hover"));
        clickOn(window.confusionView().canvas().localToScreen(inCanvas));
        waitUntil("the cell's pixels on the pane", 10, () -> pane.highlightedProperty().get() == expected);

        LabelMap truth = vm.groundTruthFor(pane.result().frame()).orElseThrow();
        LabelMap prediction = pane.result().prediction().labels();
        PanePicture picture = pane.pictureProperty().get();
        int r = row, c = col;
        long highlighted = 0;
        for (int i = 0; i < picture.argb().length; i++) {
            boolean inCell = (truth.labels()[i] & 0xFF) == r && (prediction.labels()[i] & 0xFF) == c;
            assertEquals(inCell, picture.argb()[i] == ViewRenderer.HIGHLIGHT, "pixel " + i);
            if (inCell) highlighted++;
        }
        assertEquals(expected, highlighted);
        // and the canvas on screen shows them
        WritableImage shown = snapshot(window.grid().viewOf(pane).canvas());
        assertTrue(countColour(shown, ViewRenderer.HIGHLIGHT) > 0, "no highlighted pixel on the canvas");
    }

    @Test
    void clickingARankedFrameShowsIt() {
        assumeTrue(Files.isRegularFile(camvidImage()), "needs ../shared/datasets/camvid");
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx")), CAMVID.resolve("val"), null, false)));
        waitUntil("a prediction", 60, () -> vm.panes().size() == 1 && vm.panes().get(0).result() != null);
        waitUntil("ground truth beside the folder", 30, () -> vm.groundTruthProperty().get() != null);
        BackgroundJob[] job = new BackgroundJob[1];
        fx(() -> job[0] = vm.evaluateFolder());
        assertNotNull(job[0]);
        waitUntil("the folder evaluated", 300, () -> vm.jobProperty().get() == null);
        fx(() -> window.showSideTab(2));
        waitUntil("every frame ranked", 30, () -> vm.ranking().rows().size() == 101);
        List<FrameRow> rows = List.copyOf(vm.ranking().rows());
        for (int i = 1; i < rows.size(); i++) assertTrue(rows.get(i - 1).meanIou() <= rows.get(i).meanIou(), "worst first");
        // the worst frame that is not on screen now, so the click has to move the player
        FrameRow worst = rows.stream().filter(r -> !r.key().equals(vm.player().current().key())).findFirst().orElseThrow();

        TableRow<?> first = rowShowing(worst);
        clickOn(first);
        waitUntil("the player shows the worst frame", 30, () -> vm.player().current().key().equals(worst.key()));
        assertEquals(vm.frameIndexOf(worst.key()), vm.player().current().index());
        waitUntil("the pane runs it", 30, () -> vm.panes().get(0).result().frame().key().equals(worst.key()));
    }

    @Test
    void theDisagreementTimelineFillsWhileAVideoPlays() throws Exception {
        // two unrelated models (CamVid and Cityscapes classes): they differ on most pixels
        fx(() -> open(options(List.of(MODELS.resolve("tiny_camvid.onnx"), MODELS.resolve("tiny_fastscnn_cityscapes.onnx")),
                ROOT.resolve("sample-images/vtest.avi"), null, false)));
        waitUntil("two predictions", 60, () -> vm.panes().size() == 2 && vm.panes().stream().allMatch(p -> p.result() != null));
        waitUntil("the first frame on the timeline", 30, () -> vm.timeline().frames().size() >= 1);
        long before = countMarked();
        fx(() -> vm.player().play());
        waitUntil("frames on the timeline", 60, () -> vm.timeline().frames().size() >= 10);
        fx(() -> vm.player().pause());
        int seen = vm.timeline().frames().size();
        assertTrue(vm.timeline().frames().stream().allMatch(f -> f.index() >= 0 && f.share() >= 0 && f.share() <= 1));
        assertTrue(vm.timeline().frames().stream().anyMatch(f -> f.share() > 0), "two different models agree everywhere?");
        long after = countMarked();
        assertTrue(after > before, "the strip did not fill: " + before + " -> " + after + " marked columns, " + seen + " frames");
    }

    /** Columns of the timeline strip with a frame's mark (not the empty colour, not the white cursor). */
    private long countMarked() {
        WritableImage img = snapshot(window.timelineStrip());
        PixelReader px = img.getPixelReader();
        int y = (int) img.getHeight() / 2;
        long marked = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            int argb = px.getArgb(x, y);
            if (argb != 0xFF23262B && (argb & 0xFFFFFF) != 0xF0F0F0) marked++;
        }
        return marked;
    }

    private TableRow<?> rowShowing(FrameRow row) {
        TableRow<?>[] found = new TableRow<?>[1];
        waitUntil("the row on screen", 10, () -> {
            for (Node n : window.rankingView().table().lookupAll(".table-row-cell")) {
                if (n instanceof TableRow<?> tr && row.equals(tr.getItem())) {
                    found[0] = tr;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private String lookupText(String id) {
        return ((javafx.scene.control.Label) stage.getScene().lookup(id)).getText();
    }

    private static long countColour(WritableImage img, int argb) {
        PixelReader px = img.getPixelReader();
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if (px.getArgb(x, y) == argb) n++;
        }
        return n;
    }
}
