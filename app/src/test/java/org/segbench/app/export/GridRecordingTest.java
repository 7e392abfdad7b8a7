package org.segbench.app.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PanePicture;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.source.PlayerViewModel;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.Panes;
import org.segbench.app.testing.TestFiles;
import org.segbench.app.testing.Workbench;
import org.segbench.engine.LabelMap;
import org.segbench.engine.render.ViewMode;
import org.segbench.engine.render.ViewRenderer;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

/**
 * A view mode through both of its paths: the picture the pane shows live and the tile the MP4
 * recording writes are the same pixels, drawn once by the engine's ViewRenderer.
 */
class GridRecordingTest {
    private final Workbench wb = new Workbench(ViewContext.NONE);
    private final FxThreadStandIn fx = wb.fx;
    private final Notifier notifier = wb.notifier;
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private PlayerViewModel player;

    @AfterEach
    void tearDown() {
        if (player != null) player.close();
        background.shutdownNow();
        wb.close();
    }

    @Test
    void theErrorMapIsRecordedAsThePaneShowsIt(@TempDir Path tmp) throws Exception {
        Path image = TestFiles.camvidVal("0016E5_07959");
        assumeTrue(Files.isRegularFile(image), "needs ../shared/datasets/camvid");
        GroundTruthIndex gt = GroundTruthIndex.open(TestFiles.CAMVID.resolve("valannot"));
        ViewContext context = new ViewContext() {
            @Override
            public Optional<LabelMap> groundTruthFor(SourceFrame frame) { return gt.readIfReadable(frame); }

            @Override
            public Set<String> hiddenClasses() { return Set.of(); }
        };
        PaneViewModel pane = Panes.open(1, TestFiles.MODELS.resolve("tiny_camvid.onnx"), notifier, fx, context);
        fx.run(() -> {
            wb.panes.add(pane);
            pane.viewModeProperty().set(ViewMode.ERROR);
            pane.alphaProperty().set(1);
        });
        player = new PlayerViewModel(notifier, fx);
        player.setOnFrame(pane::submit);
        player.open(image);
        fx.await("the live picture", 60, () -> pane.pictureProperty().get() != null);

        // Live: the error map, green where right and red where wrong.
        PanePicture live = fx.call(() -> pane.pictureProperty().get());
        assertEquals("", fx.call(() -> pane.errorProperty().get()));
        long correct = count(live.argb(), ViewRenderer.CORRECT), wrong = count(live.argb(), ViewRenderer.WRONG);
        assertTrue(correct > 0 && wrong > 0, correct + " right, " + wrong + " wrong");
        // Where the ground truth says "ignore" (CamVid's void, 11), the frame shows through untouched.
        SourceFrame frame = fx.call(player::current);
        byte[] truth = gt.read(frame).orElseThrow().labels();
        byte[] bgr = frame.bgr();
        int ignored = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != 11) continue;
            ignored++;
            int px = 0xFF000000 | (bgr[3 * i + 2] & 0xFF) << 16 | (bgr[3 * i + 1] & 0xFF) << 8 | (bgr[3 * i] & 0xFF);
            assertEquals(px, live.argb()[i], "ignored pixel " + i);
        }
        assertTrue(ignored > 0, "the frame has no void pixels to check");

        // Exported: the recording's tile is the live picture, and the composed video frame holds it 1:1.
        GridRecording recording = new GridRecording(wb.ws, player, background);
        Path mp4 = tmp.resolve("grid.mp4");
        assertTrue(fx.call(() -> recording.start(mp4)));
        List<SideBySide.Tile> tiles = fx.call(() -> recording.tiles(0));
        assertEquals(1, tiles.size());
        assertArrayEquals(live.argb(), tiles.get(0).argb());
        int[] size = SideBySide.size(1, live.width(), live.height());
        int[] composed = SideBySide.compose(tiles, size[0], size[1]);
        int x = firstIndexOf(live.argb(), ViewRenderer.WRONG) % live.width();
        int y = firstIndexOf(live.argb(), ViewRenderer.WRONG) / live.width();
        assertEquals(ViewRenderer.WRONG, composed[(y + SideBySide.STRIP) * size[0] + x]);

        // And the file has the frames offered to it.
        for (int i = 0; i < 3; i++) fx.run(() -> recording.onFrame(frame));
        fx.run(recording::stop);
        fx.await("file finished", 60, () -> notifier.history().stream().anyMatch(m -> m.title().equals("Recorded")));
        try (FrameSource back = FrameSources.open(mp4)) {
            try (Frame f = back.next().orElseThrow()) {
                assertEquals(size[0], f.width());
                assertEquals(size[1], f.height());
            }
        }
    }

    private static long count(int[] argb, int colour) {
        long n = 0;
        for (int px : argb) if (px == colour) n++;
        return n;
    }

    private static int firstIndexOf(int[] argb, int colour) {
        for (int i = 0; i < argb.length; i++) if (argb[i] == colour) return i;
        throw new AssertionError("colour not found");
    }
}
