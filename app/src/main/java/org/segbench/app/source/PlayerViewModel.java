package org.segbench.app.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

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
import org.segbench.engine.SegbenchException;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

/**
 * The current source and the transport (play, pause, step, seek, loop). The engine's FrameSource is
 * not thread-safe, so every call to it runs on one "player" thread; the FX thread only sees
 * properties and finished {@link SourceFrame}s. In {@link Pace#REALTIME} video plays at its own
 * frame rate, image lists at {@link #IMAGE_FPS}; in {@link Pace#MODELS} the next frame is read when
 * the consumers say they are done with the last one ({@link #frameDone}), so nothing is dropped.
 */
public final class PlayerViewModel implements AutoCloseable {
    public static final double IMAGE_FPS = 2;

    private final Notifier notifier;
    private final Executor fx;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "player");
        t.setDaemon(true);
        return t;
    });
    private final ObjectProperty<SourceFrame> current = new SimpleObjectProperty<>();
    private SourceFrame published; // the newest frame handed to the panes; player thread only
    private final BooleanProperty playing = new SimpleBooleanProperty();
    private final BooleanProperty loop = new SimpleBooleanProperty(true);
    private final BooleanProperty seekable = new SimpleBooleanProperty();
    private final LongProperty frameCount = new SimpleLongProperty(-1);
    private final DoubleProperty fps = new SimpleDoubleProperty(Double.NaN);
    private final StringProperty description = new SimpleStringProperty("no source");
    private final ObjectProperty<Pace> pace = new SimpleObjectProperty<>(Pace.REALTIME);
    /** The pace as the player thread reads it. */
    private volatile Pace paceNow = Pace.REALTIME;
    private Consumer<SourceFrame> onFrame = f -> { };
    private volatile Consumer<SourceFrame> onFrameRead = f -> { };
    private final AtomicReference<SourceFrame> toFx = new AtomicReference<>();

    // Player-thread state.
    private FrameSource source;
    private ScheduledFuture<?> ticker;
    private long serial;
    private long lastIndex = -1;
    /** Playing in {@link Pace#MODELS}: frames are read on {@link #frameDone}, not by the ticker. */
    private boolean paced;
    private long lastPublished = -1;
    /** The newest frame the consumers said they were done with. */
    private long doneSerial = -1;
    private ScheduledFuture<?> pacedFallback;
    /** Models set the pace: the frame after the one the panes work on, read while they do. */
    private SourceFrame prefetched;
    /** What the user last asked for; read by the player thread when a new source opens. */
    private volatile boolean wantPlay;

    /** @param fx runs on the FX thread (properties are set there) */
    public PlayerViewModel(Notifier notifier, Executor fx) {
        this.notifier = notifier;
        this.fx = fx;
        pace.addListener((o, was, now) -> {
            paceNow = now;
            if (thread.isShutdown()) return;
            thread.execute(() -> {
                if (ticker != null || paced) {
                    stopTicker();
                    startTicker();
                }
            });
        });
    }

    public ObjectProperty<SourceFrame> currentProperty() { return current; }
    public SourceFrame current() { return current.get(); }
    public BooleanProperty playingProperty() { return playing; }
    public BooleanProperty loopProperty() { return loop; }
    public BooleanProperty seekableProperty() { return seekable; }
    public LongProperty frameCountProperty() { return frameCount; }
    public DoubleProperty fpsProperty() { return fps; }
    public StringProperty descriptionProperty() { return description; }
    /** Real time (the source's clock, default) or models set the pace. Set on the FX thread. */
    public ObjectProperty<Pace> paceProperty() { return pace; }

    /** Called on the FX thread for every new frame (after {@link #currentProperty()} is set). */
    public void setOnFrame(Consumer<SourceFrame> listener) { this.onFrame = listener; }

    /**
     * Called with every frame published, on the player's own thread and before the FX thread hears
     * of it (and on the FX thread for a re-delivery). Whoever hands frames to the panes listens
     * here: a pane then never waits for the FX thread to be free before it gets its next frame,
     * which, when the models set the pace, would stall inference once per frame.
     */
    public void setOnFrameRead(Consumer<SourceFrame> listener) { this.onFrameRead = listener; }

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
            prefetched = null;
            if (source != null) source.close();
            source = next;
            lastIndex = -1;
            long count = next.frameCount();
            double rate = next.fps();
            boolean canSeek = next.seekable();
            String desc = next.description();
            fx.execute(() -> {
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

    /**
     * Every consumer has finished frame {@code serial} (any thread). When the models set the pace
     * and it is the last frame read, the next one is read at once.
     */
    public void frameDone(long serial) {
        onPlayerThread(() -> {
            doneSerial = Math.max(doneSerial, serial);
            if (paced && serial == lastPublished) pacedStep();
        });
    }

    /**
     * Nobody consumes frame {@code serial} (no panes): when the models set the pace, the next
     * frame comes at the source's own rate, as in real time.
     */
    public void frameNotConsumed(long serial) {
        onPlayerThread(() -> {
            doneSerial = Math.max(doneSerial, serial);
            if (!paced || serial != lastPublished) return;
            if (pacedFallback != null) pacedFallback.cancel(false);
            pacedFallback = thread.schedule(() -> {
                if (paced && serial == lastPublished) pacedStep();
            }, periodUs(), TimeUnit.MICROSECONDS);
        });
    }

    /** Runs on the player thread; nothing once the player is closed (pane workers call in late). */
    private void onPlayerThread(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException e) {
            // closed: there is no next frame to read
        }
    }

    /**
     * Re-delivers the newest frame (ground truth attached: score it now): same serial,
     * so metrics replace. On the player thread, after any open or read queued before it: the FX
     * thread's {@code current} may still be the frame before a newer one the panes already hold,
     * and handing that stale frame over would replace the newer one waiting in a busy pane.
     */
    public void redeliver() {
        onPlayerThread(() -> {
            SourceFrame f = published;
            if (f == null) return;
            onFrameRead.accept(f);
            fx.execute(() -> onFrame.accept(f));
        });
    }

    /** Seeks and publishes the frame there; false when it cannot. */
    private boolean seekOnThread(long index) {
        if (source == null || !source.seekable()) return false;
        prefetched = null; // the seek decides what comes next
        try {
            source.seek(index);
            return readNext();
        } catch (SegbenchException | RuntimeException e) {
            notifier.error("Cannot seek " + source.description(), Notifier.describe(e));
            return false;
        }
    }

    private void startTicker() {
        if (source == null || ticker != null || paced) return;
        if (paceNow == Pace.MODELS) {
            paced = true;
            // A frame still being worked on (just opened, or seeked) is waited for; else read on.
            if (doneSerial >= lastPublished) pacedStep();
            return;
        }
        long periodUs = periodUs();
        ticker = thread.scheduleAtFixedRate(this::tick, periodUs, periodUs, TimeUnit.MICROSECONDS);
    }

    /** One frame period of the source: its frame rate (at most 60), image lists {@link #IMAGE_FPS}. */
    private long periodUs() {
        double rate = source == null || Double.isNaN(source.fps()) || source.fps() <= 0 ? IMAGE_FPS
                : Math.min(60, source.fps());
        return (long) (1_000_000 / rate);
    }

    private void stopTicker() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
        paced = false;
        discardPrefetched();
        if (pacedFallback != null) {
            pacedFallback.cancel(false);
            pacedFallback = null;
        }
    }

    private void tick() {
        advance();
    }

    /**
     * Models set the pace: publishes the next frame (the consumers call {@link #frameDone} when they
     * are done with it), then reads the one after while they work, so decoding overlaps inference
     * as in the engine's pipeline.
     */
    private void pacedStep() {
        if (!paced) return;
        SourceFrame next = prefetched != null ? prefetched : readOrLoop();
        prefetched = null;
        if (next == null) {
            stopTicker();
            wantPlay = false;
            fx.execute(() -> playing.set(false));
            return;
        }
        publish(next);
        prefetched = readOrLoop();
    }

    /** A frame read ahead and not shown: the source goes back to it, so pausing or stepping skips nothing. */
    private void discardPrefetched() {
        SourceFrame f = prefetched;
        prefetched = null;
        if (f == null || source == null || !source.seekable()) return;
        try {
            source.seek(f.index());
        } catch (SegbenchException | RuntimeException e) {
            notifier.error("Cannot seek " + source.description(), Notifier.describe(e));
        }
    }

    /** Publishes the next frame, looping at the end when asked; at the end without loop, stops. */
    private boolean advance() {
        if (readNext()) return true;
        if (loop.get() && source != null && source.seekable() && lastIndex > 0 && seekOnThread(0)) return true;
        stopTicker();
        wantPlay = false;
        fx.execute(() -> playing.set(false));
        return false;
    }

    /** Reads and publishes one frame; false at the end. Bad files are reported and skipped. */
    private boolean readNext() {
        SourceFrame f = read();
        if (f == null) return false;
        publish(f);
        return true;
    }

    /** The next frame copied out of the decoder, not yet published; null at the end. Bad frames are reported and skipped. */
    private SourceFrame read() {
        if (source == null) return null;
        for (int attempts = 0; attempts < 1000; attempts++) {
            try {
                Optional<Frame> next = source.next();
                if (next.isEmpty()) return null;
                try (Frame f = next.get()) {
                    return SourceFrame.copyOf(f.bgr(), 0, f.index(), source.frameCount(), f.timestampMs(), f.file(),
                            source.description());
                } catch (IllegalArgumentException e) {
                    notifier.error(next.get().name(), e.getMessage());
                }
            } catch (SegbenchException e) {
                notifier.error(e.file().map(p -> p.getFileName().toString()).orElse("Source"), e.getMessage());
            } catch (RuntimeException e) {
                notifier.error("Source " + source.description(), Notifier.describe(e));
                return null;
            }
        }
        return null;
    }

    /** Models set the pace: the next frame, from the start again at the end when looping; null at the end. */
    private SourceFrame readOrLoop() {
        SourceFrame f = read();
        if (f != null || !loop.get() || source == null || !source.seekable() || lastIndex <= 0) return f;
        try {
            source.seek(0);
        } catch (SegbenchException | RuntimeException e) {
            notifier.error("Cannot seek " + source.description(), Notifier.describe(e));
            return null;
        }
        return read();
    }

    /** Gives the frame its serial and hands it to the FX thread. */
    private void publish(SourceFrame read) {
        serial++;
        SourceFrame sf = new SourceFrame(serial, read.index(), read.count(), read.timestampMs(), read.bgr(), read.width(),
                read.height(), read.file(), read.sourceName());
        lastIndex = sf.index();
        lastPublished = sf.serial();
        published = sf;
        onFrameRead.accept(sf);
        // Latest frame wins on the way to the FX thread too: if it is still busy with the last one,
        // replace it instead of queueing runLater calls (each holds a full frame) without bound.
        if (toFx.getAndSet(sf) == null) {
            fx.execute(() -> {
                SourceFrame latest = toFx.getAndSet(null);
                if (latest == null) return;
                current.set(latest);
                onFrame.accept(latest);
            });
        }
    }

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
