package org.segbench.app.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.Panes;
import org.segbench.app.testing.TestFiles;
import org.segbench.app.testing.Workbench;
import org.segbench.app.timeline.DisagreementTimelineViewModel;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.metrics.ImageScore;

/** Three CamVid frames through two real models: ranked by each frame's own mIoU, or by disagreement. */
class FrameRankingViewModelTest {
    private static final List<String> STEMS = List.of("0016E5_07959", "0016E5_07961", "0016E5_07963");

    private final Workbench wb = new Workbench(ViewContext.NONE);
    private final FxThreadStandIn fx = wb.fx;

    @AfterEach
    void tearDown() { wb.close(); }

    @Test
    void framesComeWorstFirstWithTheirOwnScoresAndAClickShowsOne() throws Exception {
        for (String s : STEMS) assumeTrue(Files.isRegularFile(TestFiles.camvidVal(s)), "needs ../shared/datasets/camvid");
        GroundTruthIndex gt = GroundTruthIndex.open(TestFiles.CAMVID.resolve("valannot"));
        fx.run(() -> wb.groundTruth.set(gt));
        DisagreementTimelineViewModel timeline = fx.call(() -> new DisagreementTimelineViewModel(wb.ws, wb.metrics, k -> -1));
        List<FrameRow> shown = new ArrayList<>();
        FrameRankingViewModel vm = fx.call(() -> new FrameRankingViewModel(wb.ws, wb.scoring, timeline, shown::add));
        List<PaneViewModel> panes = new ArrayList<>();
        for (String model : List.of("tiny_camvid.onnx", "tiny_lowres_logits.onnx")) {
            PaneViewModel p = Panes.open(panes.size() + 1, TestFiles.MODELS.resolve(model), wb.notifier, fx, ViewContext.NONE);
            p.setOnResult((pane, r) -> {
                wb.scoring.onPaneResult(pane, r);
                timeline.onPaneResult(pane, r);
            });
            fx.run(() -> wb.panes.add(p));
            panes.add(p);
        }
        // One frame at a time: a pane keeps only the newest waiting frame.
        for (int i = 0; i < STEMS.size(); i++) {
            SourceFrame f = TestFiles.frame(TestFiles.camvidVal(STEMS.get(i)), i + 1);
            panes.forEach(p -> p.submit(f));
            fx.await("both panes on " + STEMS.get(i), 60, () -> panes.stream()
                    .allMatch(p -> p.result() != null && p.result().frame().serial() == f.serial()));
        }
        fx.await("three ranked frames", 60, () -> vm.rows().size() == 3
                && vm.rows().stream().allMatch(r -> !Double.isNaN(r.meanIou()) && !Double.isNaN(r.disagreement())));

        // Each row is the frame's own score, as the CLI's per-image rows compute it.
        Map<String, FrameRow> rows = new java.util.HashMap<>();
        fx.call(() -> vm.rows()).forEach(r -> rows.put(r.key(), r));
        for (String s : STEMS) {
            Path image = TestFiles.camvidVal(s);
            LabelMap truth = gt.format().read(gt.fileFor(image).orElseThrow());
            LabelMap a = panes.get(0).predictionFor(image.toString()).labels();
            LabelMap b = panes.get(1).predictionFor(image.toString()).labels();
            ImageScore expected = ImageScore.of(s, "tiny", LabelSet.camvid(), truth, a);
            FrameRow row = rows.get(image.toString());
            assertEquals(image.getFileName().toString(), row.name());
            assertEquals(expected.meanIou(), row.meanIou(), 1e-12, s);
            assertEquals(expected.pixelAccuracy(), row.accuracy(), 1e-12, s);
            assertEquals(ImageScore.disagreement(a, b), row.disagreement(), 1e-12, s);
        }
        List<FrameRow> byIou = fx.call(() -> List.copyOf(vm.rows()));
        for (int i = 1; i < byIou.size(); i++) assertTrue(byIou.get(i - 1).meanIou() <= byIou.get(i).meanIou(), "worst mIoU first");

        fx.run(() -> vm.rankByProperty().set(FrameRankingViewModel.RankBy.DISAGREEMENT));
        List<FrameRow> byDisagreement = fx.call(() -> List.copyOf(vm.rows()));
        for (int i = 1; i < byDisagreement.size(); i++) {
            assertTrue(byDisagreement.get(i - 1).disagreement() >= byDisagreement.get(i).disagreement(), "most disagreement first");
        }
        // The second pane ranks by its own mIoU.
        fx.run(() -> vm.paneProperty().set(panes.get(1)));
        fx.run(() -> vm.rankByProperty().set(FrameRankingViewModel.RankBy.MEAN_IOU));
        Path first = Path.of(fx.call(() -> vm.rows().get(0).key()));
        LabelMap truth = gt.format().read(gt.fileFor(first).orElseThrow());
        assertEquals(ImageScore.of("x", "y", LabelSet.camvid(), truth, panes.get(1).predictionFor(first.toString()).labels()).meanIou(),
                fx.call(() -> vm.rows().get(0).meanIou()), 1e-12);

        FrameRow pick = fx.call(() -> vm.rows().get(2));
        fx.run(() -> vm.jumpTo(pick));
        assertEquals(List.of(pick), shown);
    }

    @Test
    void framesWithoutAValueGoLast() {
        FrameRow scored = new FrameRow("a", "a", 0, 0.5, 0.9, Double.NaN);
        FrameRow worse = new FrameRow("b", "b", 1, 0.2, 0.8, 0.1);
        FrameRow unscored = new FrameRow("c", "c", 2, Double.NaN, Double.NaN, 0.4);
        List<FrameRow> l = new ArrayList<>(List.of(unscored, scored, worse));
        l.sort(FrameRankingViewModel.order(FrameRankingViewModel.RankBy.MEAN_IOU));
        assertEquals(List.of(worse, scored, unscored), l);
        l.sort(FrameRankingViewModel.order(FrameRankingViewModel.RankBy.DISAGREEMENT));
        assertEquals(List.of(unscored, worse, scored), l);
    }
}
