package org.segbench.app.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pace.PaneBarrier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.SpeedTotals;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.Panes;
import org.segbench.app.testing.TestFiles;

/**
 * "Models set the pace" on a real video with real models, wired as the workbench wires them (the
 * player hands frames to a {@link PaneBarrier}): nothing is dropped, and the source's frame rate is
 * the models' throughput.
 */
class PlayerPacingTest {
    private static final Path VIDEO = TestFiles.ROOT.resolve("sample-images/vtest.avi");
    private final FxThreadStandIn fx = new FxThreadStandIn();
    private final Notifier notifier = new Notifier(fx);
    private final PlayerViewModel player = new PlayerViewModel(notifier, fx);
    private final PaneBarrier barrier = new PaneBarrier(player);
    private final AtomicLong published = new AtomicLong();
    private List<PaneViewModel> panes = List.of();

    @AfterEach
    void tearDown() {
        player.close();
        panes.forEach(PaneViewModel::close);
        fx.close();
    }

    private void wire(List<PaneViewModel> open) {
        panes = open;
        panes.forEach(barrier::attach);
        player.setOnFrame(f -> {
            published.incrementAndGet();
            barrier.deliver(f, panes);
        });
    }

    @Test
    void whenTheModelsSetThePaceNoFrameIsDroppedAndTheFrameRateIsTheirThroughput() throws Exception {
        // two models of different speed: the slower one sets the pace for both
        wire(List.of(Panes.open(1, TestFiles.MODELS.resolve("tiny_camvid.onnx"), notifier, fx, ViewContext.NONE),
                Panes.open(2, TestFiles.MODELS.resolve("tiny_fastscnn_cityscapes.onnx"), notifier, fx, ViewContext.NONE)));
        fx.run(() -> player.paceProperty().set(Pace.MODELS));
        player.open(VIDEO);
        fx.await("the first frame", 60, () -> published.get() >= 1);
        fx.run(player::play);
        fx.await("15 frames", 120, () -> published.get() >= 15);
        SpeedTotals.Reading[] from = panes.stream().map(PaneViewModel::speedTotals).toArray(SpeedTotals.Reading[]::new);
        long publishedFrom = published.get();
        long t0 = System.nanoTime();
        fx.await("30 more frames", 180, () -> published.get() >= publishedFrom + 30);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long frames = published.get() - publishedFrom;
        fx.run(player::pause);
        double sourceFps = frames / seconds;
        for (int i = 0; i < panes.size(); i++) {
            SpeedTotals.Reading d = panes.get(i).speedTotals().since(from[i]);
            assertEquals(0, panes.get(i).speedTotals().dropped(), "pane " + (i + 1) + " dropped frames");
            // every frame read was predicted (up to three may be on their way when we look: one
            // waiting in the mailbox, one in inference, one being decoded)
            assertTrue(Math.abs(d.predicted() - frames) <= 3, "pane " + (i + 1) + " predicted " + d.predicted()
                    + " of " + frames + " frames");
            double paneFps = d.predicted() / (d.nanos() / 1e9);
            assertEquals(sourceFps, paneFps, 0.1 * sourceFps, "the source's rate is the panes' throughput");
        }
    }

    @Test
    void inRealTimeASlowPaneDropsFramesAndWithoutPanesTheVideoStillPlays() throws Exception {
        // no panes: models set no pace, the video plays at its own rate
        wire(List.of());
        fx.run(() -> player.paceProperty().set(Pace.MODELS));
        player.open(VIDEO);
        fx.run(player::play);
        fx.await("frames without panes", 60, () -> published.get() >= 5);

        // real time with a pane that cannot keep up (every frame held back 300 ms): frames are dropped
        PaneViewModel slow = Panes.open(3, TestFiles.MODELS.resolve("tiny_camvid.onnx"), notifier, fx, ViewContext.NONE);
        slow.setOnTaken((p, f) -> sleep(300));
        panes = List.of(slow);
        fx.run(() -> player.paceProperty().set(Pace.REALTIME));
        fx.await("drops in real time", 60, () -> slow.speedTotals().dropped() > 0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
