package org.segbench.app.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javafx.collections.ObservableList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.jobs.BackgroundJob;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.Panes;
import org.segbench.app.testing.TestFiles;
import org.segbench.app.testing.Workbench;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.metrics.ConfusionMatrix;
import org.segbench.engine.metrics.GroundTruthFormat;
import org.segbench.engine.source.ImageFiles;

/** Folder evaluation without a stage: a real model over real CamVid images, one of them broken. */
class FolderEvaluationViewModelTest {
    private static final List<String> STEMS = List.of("0016E5_07959", "0016E5_07961", "0016E5_07963");

    private final Workbench wb = new Workbench(ViewContext.NONE);
    private final FxThreadStandIn fx = wb.fx;
    private final Notifier notifier = wb.notifier;
    private final ObservableList<PaneViewModel> panes = wb.panes;
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private final FolderEvaluationViewModel evaluation = new FolderEvaluationViewModel(wb.ws, wb.scoring, background);
    private PaneViewModel pane;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isDirectory(TestFiles.CAMVID.resolve("val")), "needs ../shared/datasets/camvid");
        pane = Panes.open(1, TestFiles.MODELS.resolve("tiny_camvid.onnx"), notifier, fx, ViewContext.NONE);
        fx.run(() -> panes.add(pane));
    }

    @AfterEach
    void tearDown() {
        background.shutdownNow();
        wb.close();
    }

    /** Three CamVid images with their labels, and a broken image that has a label file too. */
    private static Path folderWithABrokenImage(Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("val"));
        Path labels = Files.createDirectories(tmp.resolve("valannot"));
        for (String stem : STEMS) {
            Files.copy(TestFiles.camvidVal(stem), images.resolve(stem + ".png"));
            Files.copy(TestFiles.CAMVID.resolve("valannot/" + stem + ".png"), labels.resolve(stem + ".png"));
        }
        Files.writeString(images.resolve("broken.png"), "not a PNG");
        Files.copy(TestFiles.CAMVID.resolve("valannot/" + STEMS.get(0) + ".png"), labels.resolve("broken.png"));
        return tmp;
    }

    @Test
    void theTableEndsAsTheFolderResultAndABrokenImageIsReportedAndSkipped(@TempDir Path tmp) throws Exception {
        Path root = folderWithABrokenImage(tmp);
        GroundTruthIndex gt = GroundTruthIndex.open(root.resolve("valannot"));
        fx.run(() -> wb.groundTruth.set(gt));
        BackgroundJob job = fx.call(() -> evaluation.evaluate(root.resolve("val"), gt, panes));
        assertEquals(job, fx.call(() -> evaluation.jobProperty().get()));
        int done = job.done().get(120, TimeUnit.SECONDS);
        assertEquals(STEMS.size(), done, "the broken image is skipped, the others counted");
        assertNull(fx.call(() -> evaluation.jobProperty().get()), "finished job still shown");
        assertTrue(notifier.history().stream().anyMatch(m -> m.level() == Notifier.Level.ERROR && m.title().equals("broken.png")),
                notifier.history().toString());
        assertEquals(1.0, fx.call(() -> job.progressProperty().get()), 1e-9);

        // The mIoU column is the sum over the three images, computed here independently.
        ConfusionMatrix expected = ConfusionMatrix.of(LabelSet.camvid());
        for (String stem : STEMS) {
            var bgr = ImageFiles.readBgr(root.resolve("val/" + stem + ".png"));
            LabelMap truth = GroundTruthFormat.CAMVID.read(root.resolve("valannot/" + stem + ".png"));
            expected.add(truth, pane.predict(bgr).labels());
            bgr.release();
        }
        int miouRow = LabelSet.camvid().size();
        fx.await("table shows the folder", 30, () -> wb.scoring.table().captionProperty().get().contains("· 3 frames"));
        assertEquals(expected.meanIou(), fx.call(() -> wb.scoring.table().rows().get(miouRow).value(0)), 1e-12);
    }

    @Test
    void aModelTrainedOnSomeOfTheImagesIsFlagged(@TempDir Path tmp) throws Exception {
        Path root = folderWithABrokenImage(tmp);
        // A second pane whose sidecar says it was trained on two of the three images.
        Path model = Files.copy(TestFiles.MODELS.resolve("tiny_no_metadata.onnx"), tmp.resolve("seen.onnx"));
        Files.writeString(tmp.resolve("seen.onnx.json"), "{\"name\": \"Seen\", \"dataset\": \"camvid\","
                + " \"training_images\": [\"" + STEMS.get(0) + "\", \"" + STEMS.get(2) + ".png\"]}");
        PaneViewModel seen = Panes.open(2, model, notifier, fx, ViewContext.NONE);
        fx.run(() -> panes.add(seen));
        GroundTruthIndex gt = GroundTruthIndex.open(root.resolve("valannot"));
        BackgroundJob job = fx.call(() -> evaluation.evaluate(root.resolve("val"), gt, panes));
        assertEquals(STEMS.size(), job.done().get(120, TimeUnit.SECONDS));
        fx.await("finished", 30, () -> notifier.history().stream().anyMatch(m -> m.title().equals("Evaluation finished")));
        List<String> flagged = fx.call(() -> notifier.history().stream()
                .filter(m -> m.level() == Notifier.Level.WARNING && m.title().equals("Trained on these images"))
                .map(Notifier.Message::text).toList());
        assertEquals(1, flagged.size(), flagged.toString());  // the other pane's model lists none
        assertTrue(flagged.get(0).startsWith("Seen #2 was trained on 2 of the 3 images"), flagged.get(0));
    }

    @Test
    void cancelStopsAfterTheCurrentImage(@TempDir Path tmp) throws Exception {
        Path root = folderWithABrokenImage(tmp);
        GroundTruthIndex gt = GroundTruthIndex.open(root.resolve("valannot"));
        BackgroundJob job = fx.call(() -> {
            BackgroundJob j = evaluation.evaluate(root.resolve("val/" + STEMS.get(0) + ".png"), gt, panes);
            j.cancel();
            return j;
        });
        assertTrue(job.done().get(60, TimeUnit.SECONDS) < STEMS.size());
        assertNull(fx.call(() -> evaluation.jobProperty().get()));
    }

    @Test
    void withoutGroundTruthOrModelsItSaysWhatIsMissing(@TempDir Path tmp) throws Exception {
        Path root = folderWithABrokenImage(tmp);
        assertNull(fx.call(() -> evaluation.evaluate(root.resolve("val"), null, panes)));
        GroundTruthIndex gt = GroundTruthIndex.open(root.resolve("valannot"));
        assertNull(fx.call(() -> evaluation.evaluate(root.resolve("val"), gt, List.of())));
        List<String> warnings = notifier.history().stream().filter(m -> m.level() == Notifier.Level.WARNING)
                .map(Notifier.Message::text).toList();
        assertEquals(List.of("attach a ground-truth folder first", "add a model first"), warnings);
    }
}
