package org.segbench.app.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

import org.segbench.app.pane.PanePicture;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.source.PlayerViewModel;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.workspace.Workspace;

/**
 * Records the pane grid to an MP4: on every source frame, each pane's picture, the same pixels its
 * canvas shows, side by side with a caption. The file keeps the frame size and pane count it
 * started with (MP4 frames share one size).
 */
public final class GridRecording {
    private final Workspace ws;
    private final PlayerViewModel player;
    private final Executor background;
    private final ReadOnlyBooleanWrapper recording = new ReadOnlyBooleanWrapper();
    private VideoRecorder recorder;
    private Layout layout;

    /** Pane count and frame size of the file being written. */
    private record Layout(int panes, int width, int height) { }

    /** @param background finishes files (waits for the encoder) off the FX thread */
    public GridRecording(Workspace ws, PlayerViewModel player, Executor background) {
        this.ws = ws;
        this.player = player;
        this.background = background;
    }

    public ReadOnlyBooleanProperty recordingProperty() { return recording.getReadOnlyProperty(); }

    /** The encoder of the file being written, or null. */
    public VideoRecorder recorder() { return recorder; }

    /** Starts writing (FX thread); false with a warning when there is nothing to record yet. */
    public boolean start(Path file) {
        SourceFrame f = player.current();
        if (f == null || ws.panes().isEmpty()) {
            ws.notifier().warn("Record " + file.getFileName(), "open a source and a model first");
            return false;
        }
        if (recorder != null) stop();
        layout = new Layout(ws.panes().size(), f.width(), f.height());
        int[] size = SideBySide.size(layout.panes(), layout.width(), layout.height());
        double fps = player.fpsProperty().get();
        recorder = new VideoRecorder(file, size[0], size[1], Double.isNaN(fps) || fps <= 0 ? 10 : fps,
                msg -> ws.notifier().error(file.getFileName().toString(), "recording failed: " + msg));
        recording.set(true);
        ws.status().accept("Recording to " + file);
        return true;
    }

    /** Finishes the file in the background and says how many frames it has. */
    public void stop() {
        VideoRecorder r = recorder;
        recorder = null;
        recording.set(false);
        if (r == null) return;
        background.execute(() -> {
            r.close();
            ws.notifier().info("Recorded", r.file().getFileName() + ": " + r.written() + " frames, " + r.codec()
                    + (r.skipped() > 0 ? " (" + r.skipped() + " skipped: encoder too slow)" : ""));
        });
    }

    /** One picture per source frame (FX thread); composed on the encoder's thread. */
    public void onFrame(SourceFrame f) {
        VideoRecorder r = recorder;
        if (r == null) return;
        List<SideBySide.Tile> tiles = tiles(f.index());
        int[] size = SideBySide.size(layout.panes(), layout.width(), layout.height());
        r.offerLater(() -> SideBySide.compose(tiles, size[0], size[1]));
    }

    /** Every pane's picture as its canvas shows it; none for a pane whose picture has another size. */
    List<SideBySide.Tile> tiles(long frameIndex) {
        List<SideBySide.Tile> tiles = new ArrayList<>();
        for (PaneViewModel p : ws.panes()) {
            if (tiles.size() == layout.panes()) break;
            PanePicture pic = p.pictureProperty().get();
            int[] px = pic == null || pic.width() != layout.width() || pic.height() != layout.height() ? null : pic.argb();
            double fps = p.fpsProperty().get();
            String caption = p.name() + "  [" + p.providerProperty().get() + "]"
                    + (Double.isNaN(fps) ? "" : String.format(Locale.ROOT, "  %.1f FPS", fps)) + "   frame " + frameIndex;
            tiles.add(new SideBySide.Tile(caption, px, layout.width(), layout.height()));
        }
        return tiles;
    }
}
