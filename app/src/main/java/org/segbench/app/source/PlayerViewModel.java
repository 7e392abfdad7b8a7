package org.segbench.app.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.LabelImages;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * The current source and the transport (play, pause, step, seek, loop). The engine's FrameSource is
 * not thread-safe, so every call to it runs on one "player" thread; the FX thread only sees
 * properties and finished {@link SourceFrame}s. Video plays at its own frame rate; image lists at
 * {@link #IMAGE_FPS}.
 */
public final class PlayerViewModel implements AutoCloseable {
    public static final double IMAGE_FPS = 2;

    private final Notifier notifier;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "player");
        t.setDaemon(true);
        return t;
    });
    private final ObjectProperty<SourceFrame> current = new SimpleObjectProperty<>();
    private final BooleanProperty playing = new SimpleBooleanProperty();
    private final BooleanProperty loop = new SimpleBooleanProperty(true);
    private final BooleanProperty seekable = new SimpleBooleanProperty();
    private final LongProperty frameCount = new SimpleLongProperty(-1);
    private final DoubleProperty fps = new SimpleDoubleProperty(Double.NaN);
    private final StringProperty description = new SimpleStringProperty("no source");
    private Consumer<SourceFrame> onFrame = f -> { };

    // Player-thread state.
    private FrameSource source;
    private ScheduledFuture<?> ticker;
    private long serial;
    private long lastIndex = -1;
    /** What the user last asked for; read by the player thread when a new source opens. */
    private volatile boolean wantPlay;

    public PlayerViewModel(Notifier notifier) { this.notifier = notifier; }

    public ObjectProperty<SourceFrame> currentProperty() { return current; }
    public SourceFrame current() { return current.get(); }
    public BooleanProperty playingProperty() { return playing; }
    public BooleanProperty loopProperty() { return loop; }
    public BooleanProperty seekableProperty() { return seekable; }
    public LongProperty frameCountProperty() { return frameCount; }
    public DoubleProperty fpsProperty() { return fps; }
    public StringProperty descriptionProperty() { return description; }

    /** Called on the FX thread for every new frame (after {@link #currentProperty()} is set). */
    public void setOnFrame(Consumer<SourceFrame> listener) { this.onFrame = listener; }

    /** A file or folder: a folder plays its images, a video file plays, an image shows. */
    public void open(Path path) { openWith(() -> FrameSources.open(path), path.toString()); }

    /** Several image files as one list. */
    public void openImages(List<Path> files) {
        openWith(() -> FrameSources.images(files), files.size() + " images");
    }

    public void openWebcam(int device) { openWith(() -> FrameSources.webcam(device), "webcam " + device); }

    private interface Opener { FrameSource open() throws SegbenchException; }

    private void openWith(Opener opener, String what) {
        if (thread.isShutdown()) return;
        thread.execute(() -> {
            FrameSource next;
            try {
                next = opener.open();
            } catch (SegbenchException | RuntimeException e) {
                notifier.error("Cannot open " + what, Notifier.describe(e));
                return;
            }
            stopTicker();
            if (source != null) source.close();
            source = next;
            lastIndex = -1;
            long count = next.frameCount();
            double rate = next.fps();
            boolean canSeek = next.seekable();
            String desc = next.description();
            Platform.runLater(() -> {
                frameCount.set(count);
                fps.set(rate);
                seekable.set(canSeek);
                description.set(desc);
                playing.set(wantPlay && count != 1);
            });
            readNext();
            if (wantPlay && count != 1) startTicker();
        });
    }

    public void play() {
        wantPlay = true;
        playing.set(true);
        thread.execute(this::startTicker);
    }

    public void pause() {
        wantPlay = false;
        playing.set(false);
        thread.execute(this::stopTicker);
    }

    public void togglePlay() {
        if (playing.get()) pause(); else play();
    }

    public void stepForward() {
        pause();
        thread.execute(this::readNext);
    }

    public void stepBack() {
        pause();
        thread.execute(() -> seekOnThread(Math.max(0, lastIndex - 1)));
    }

    public void seek(long index) { thread.execute(() -> seekOnThread(index)); }

    /** Re-delivers the current frame (knob changed, model added): same serial, so metrics replace. */
    public void redeliver() {
        SourceFrame f = current.get();
        if (f != null) Platform.runLater(() -> onFrame.accept(f));
    }

    private void seekOnThread(long index) {
        if (source == null || !source.seekable()) return;
        try {
            source.seek(index);
            readNext();
        } catch (SegbenchException | RuntimeException e) {
            notifier.error("Cannot seek " + source.description(), Notifier.describe(e));
        }
    }

    private void startTicker() {
        if (source == null || ticker != null) return;
        double rate = Double.isNaN(source.fps()) || source.fps() <= 0 ? IMAGE_FPS : Math.min(60, source.fps());
        long periodUs = (long) (1_000_000 / rate);
        ticker = thread.scheduleAtFixedRate(this::tick, periodUs, periodUs, TimeUnit.MICROSECONDS);
    }

    private void stopTicker() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    private void tick() {
        if (!readNext()) {
            if (loop.get() && source != null && source.seekable() && lastIndex > 0) {
                seekOnThread(0);
            } else {
                stopTicker();
                wantPlay = false;
                Platform.runLater(() -> playing.set(false));
            }
        }
    }

    /** Reads and publishes one frame; false at the end. Bad files are reported and skipped. */
    private boolean readNext() {
        if (source == null) return false;
        for (int attempts = 0; attempts < 1000; attempts++) {
            try {
                Optional<Frame> f = source.next();
                if (f.isEmpty()) return false;
                publish(f.get());
                return true;
            } catch (SegbenchException e) {
                notifier.error(e.file().map(p -> p.getFileName().toString()).orElse("Source"), e.getMessage());
            } catch (RuntimeException e) {
                notifier.error("Source " + source.description(), Notifier.describe(e));
                return false;
            }
        }
        return false;
    }

    private void publish(Frame f) {
        int w = f.width(), h = f.height();
        byte[] bgr = new byte[w * h * 3];
        try (f) {
            Mat m = f.bgr();
            if (m.type() != CvType.CV_8UC3) {
                notifier.error(f.name(), "not an 8-bit colour frame (" + CvType.typeToString(m.type()) + ")");
                return;
            }
            if (m.isContinuous()) {
                m.get(0, 0, bgr);
            } else {
                Mat c = m.clone(); // a clone is continuous
                c.get(0, 0, bgr);
                c.release();
            }
        }
        var image = LabelImages.toImage(LabelImages.fromBgr(bgr, w, h), w, h);
        lastIndex = f.index();
        SourceFrame sf = new SourceFrame(++serial, f.index(), source.frameCount(), f.timestampMs(), bgr, w, h, image,
                f.file(), source.description());
        // Latest frame wins on the way to the FX thread too: if it is still busy with the last one,
        // replace it instead of queueing runLater calls (each holds a full frame) without bound.
        if (toFx.getAndSet(sf) == null) {
            Platform.runLater(() -> {
                SourceFrame latest = toFx.getAndSet(null);
                if (latest == null) return;
                current.set(latest);
                onFrame.accept(latest);
            });
        }
    }

    private final java.util.concurrent.atomic.AtomicReference<SourceFrame> toFx = new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public void close() {
        if (thread.isShutdown()) return;
        thread.execute(() -> {
            stopTicker();
            if (source != null) source.close();
        });
        thread.shutdown();
    }
}
