package org.segbench.app.pane;

import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;

import javafx.beans.InvalidationListener;
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
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.segbench.app.inference.HandoffStage;
import org.segbench.app.inference.LatestFrameWorker;
import org.segbench.app.notify.Notifier;
import org.opencv.core.Mat;
import org.segbench.app.source.SourceFrame;
import org.segbench.engine.InferredFrame;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.ModelMetadata;
import org.segbench.engine.Prediction;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.NormalisationPreset;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Timings;
import org.segbench.engine.TrainingImages;
import org.segbench.engine.metrics.FpsMeter;
import org.segbench.engine.render.RenderOptions;
import org.segbench.engine.render.ViewInput;
import org.segbench.engine.render.ViewMode;
import org.segbench.engine.render.ViewRenderer;

/**
 * State of one model pane: the model, what it shows, its knobs, its speed and its latest result.
 * Frames go to a {@link LatestFrameWorker}: inference never runs on the FX thread, and a model
 * slower than the source drops frames (counted and shown) instead of queueing them. The worker
 * only preprocesses and runs the network; a second thread per pane ({@link HandoffStage}) decodes
 * the labels and draws the picture while the worker runs the next frame. The picture is drawn by
 * the engine's {@link ViewRenderer}; the view only puts it on a canvas, and the video recorder
 * writes the same pixels.
 */
public final class PaneViewModel implements AutoCloseable {
    private static final int FPS_WINDOW = 20;
    private static final String NO_CONFIDENCE = "no confidence: this model outputs labels, not scores";

    private final int id;
    private final Notifier notifier;
    private final Executor fx;
    private final ViewContext context;
    private final LatestFrameWorker<SourceFrame> worker;
    /** Argmax, drawing and delivery of the frame the worker ran before the one it runs now. */
    private final HandoffStage<Inferred> postprocess;
    private final AtomicReference<SegmentationModel> model = new AtomicReference<>();
    /** A model loaded for another provider, swapped in by the worker between two frames. */
    private final AtomicReference<SegmentationModel> pendingSwap = new AtomicReference<>();
    private final FpsMeter meter = new FpsMeter(0, FPS_WINDOW);
    private final Deque<long[]> dropHistory = new ConcurrentLinkedDeque<>();
    /** The newest frame serial handed to this pane. */
    private volatile long submittedSerial = -1;
    /** A drop count update is on its way to the FX thread. */
    private final AtomicBoolean dropShown = new AtomicBoolean();
    /** Recent predictions by frame key, so a disagreement/reference pane can find the same frame. */
    private final Map<String, PaneResult> recent = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PaneResult> e) { return size() > 8; }
    };

    private final StringProperty name = new SimpleStringProperty();
    private final StringProperty provider = new SimpleStringProperty();
    private final StringProperty providerNote = new SimpleStringProperty("");
    private final StringProperty inputSize = new SimpleStringProperty("");
    private final StringProperty details = new SimpleStringProperty("");
    /** How the model is fed (layout, channel order, normalisation and where it came from). */
    private final StringProperty conventions = new SimpleStringProperty("");
    /** Non-empty while the normalisation is a guess: the pane shows it as a banner. */
    private final StringProperty normalisationNote = new SimpleStringProperty("");
    private volatile Consumer<NormalisationPreset> onPreset = p -> { };
    private final ObjectProperty<ViewMode> viewMode = new SimpleObjectProperty<>(ViewMode.OVERLAY);
    private final DoubleProperty alpha = new SimpleDoubleProperty(0.55);
    private final ObjectProperty<PaneViewModel> compareWith = new SimpleObjectProperty<>();
    private final BooleanProperty reference = new SimpleBooleanProperty();
    private final ObservableList<KnobViewModel> knobs = FXCollections.observableArrayList();
    private final ObjectProperty<PaneResult> result = new SimpleObjectProperty<>();
    private final DoubleProperty fps = new SimpleDoubleProperty(Double.NaN);
    private final ObjectProperty<Timings> latency = new SimpleObjectProperty<>();
    private final LongProperty dropped = new SimpleLongProperty();
    private final BooleanProperty droppingNow = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty hover = new SimpleStringProperty("");
    private final ObjectProperty<PanePicture> picture = new SimpleObjectProperty<>();
    private final ObjectProperty<CellHighlight> highlight = new SimpleObjectProperty<>();
    private final LongProperty highlighted = new SimpleLongProperty(-1);
    private BiConsumer<PaneViewModel, PaneResult> onResult = (p, r) -> { };
    private volatile BiConsumer<PaneViewModel, SourceFrame> onTaken = (p, f) -> { };
    private final SpeedTotals totals = new SpeedTotals();
    /** How the FX thread last drew, so the worker can draw the next result the same way off it. */
    private volatile Drawing lastDrawing;
    /** A picture the worker drew for a result, taken by {@link #redraw} when the settings still match. */
    private final AtomicReference<Drawn> predrawn = new AtomicReference<>();

    /** View settings a picture was drawn with. */
    private record Drawing(ViewMode mode, RenderOptions options) { }

    private record Drawn(PaneResult result, Drawing drawing, PanePicture picture) { }
    private volatile LabelSet labels;
    /** The images the model says it was trained on: scores on them are training figures. */
    private volatile TrainingImages trainingImages = TrainingImages.none();
    /** The model's classes with the colours the user chose in the legend: what masks are drawn in. */
    private volatile LabelSet shownLabels;
    private Timings smoothed;
    private long lastResultNanos;
    private volatile boolean closed;
    private final AtomicReference<PaneResult> toFx = new AtomicReference<>();
    /**
     * Predictions (this pane's worker, a folder evaluation) hold the read lock; closing a native
     * session takes the write lock, so a session is never closed under a running inference.
     */
    private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();

    /**
     * @param fx      runs on the FX thread: results and properties are delivered there
     * @param context ground truth and hidden classes for drawing
     */
    public PaneViewModel(int id, SegmentationModel loaded, Notifier notifier, Executor fx, ViewContext context) {
        this.id = id;
        this.notifier = notifier;
        this.fx = fx;
        this.context = context;
        this.postprocess = new HandoffStage<>("pane-" + id + "-post", this::postprocess);
        this.worker = new LatestFrameWorker<>("pane-" + id, this::takeAndInfer);
        this.worker.setOnExit(this::closeModels);
        adopt(loaded);
        for (var k : loaded.knobs()) {
            KnobViewModel kv = new KnobViewModel(k);
            kv.valueProperty().addListener((o, a, b) -> applyKnob(kv.name(), b.floatValue()));
            knobs.add(kv);
        }
        InvalidationListener redraw = o -> redraw();
        result.addListener(redraw);
        viewMode.addListener(redraw);
        alpha.addListener(redraw);
        highlight.addListener(redraw);
        compareWith.addListener((o, a, b) -> {
            if (a != null) a.resultProperty().removeListener(redraw);
            if (b != null) b.resultProperty().addListener(redraw);
            redraw();
        });
    }

    private void adopt(SegmentationModel m) {
        model.set(m);
        labels = m.labels();
        trainingImages = m.metadata().trainingImages();
        LabelSet shown = shownLabels;
        shownLabels = shown != null && shown.size() == labels.size() ? shown : labels;
        name.set(m.name());
        provider.set(m.provider().name());
        providerNote.set(m.providerNote());
        // Until the first frame tells the real size: fixed size, or "dynamic" (frame rounded to 32).
        inputSize.set(m.fixedInputSize().map(s -> "in " + s).orElse("in dynamic"));
        details.set(m.labels().size() + " classes · " + m.labels().dataset()
                + String.format(Locale.ROOT, " · %.2fM params", m.parameterCount() / 1e6)
                + (m.subnormalsFlushed() ? String.format(Locale.ROOT,
                        " · %,d subnormal weights flushed to zero (slow on a CPU)", m.subnormalWeights()) : "")
                + trainedOn(trainingImages.size())
                + "\n" + ModelConventions.describe(m)
                + provenance(m.metadata()));
        showConventions(m);
    }

    /** The figure the file was bundled with and how it was trained: what a comparison rests on. */
    private static String provenance(ModelMetadata meta) {
        String figure = meta.valMiou()
                .map(v -> String.format(Locale.ROOT, "\nval mIoU %.2f %% (the figure the file was bundled with)", v))
                .orElse("");
        String training = meta.training() == null || meta.training().isBlank() ? "" : "\ntraining: " + meta.training();
        return figure + training;
    }

    private static String trainedOn(int images) {
        return images == 0 ? "" : String.format(Locale.ROOT, " · trained on %,d listed images", images);
    }

    private void showConventions(SegmentationModel m) {
        conventions.set(ModelConventions.describe(m));
        normalisationNote.set(ModelConventions.assumption(m).orElse(""));
    }

    /** Who re-opens this pane's model with a normalisation preset (the workbench sets it). */
    public void setOnPreset(Consumer<NormalisationPreset> handler) { this.onPreset = handler; }

    /** The user picked a preset for a model whose normalisation was assumed. */
    public void choosePreset(NormalisationPreset preset) { onPreset.accept(preset); }

    public StringProperty conventionsProperty() { return conventions; }
    public StringProperty normalisationNoteProperty() { return normalisationNote; }

    public int id() { return id; }
    public SegmentationModel model() { return model.get(); }
    public LabelSet labels() { return labels; }
    public TrainingImages trainingImages() { return trainingImages; }
    public StringProperty nameProperty() { return name; }
    public String name() { return name.get(); }
    /** Tells two panes of the same model apart. */
    public String nameWithId() { return name.get() + " #" + id; }
    public StringProperty providerProperty() { return provider; }
    public StringProperty providerNoteProperty() { return providerNote; }
    public StringProperty inputSizeProperty() { return inputSize; }
    public StringProperty detailsProperty() { return details; }
    public ObjectProperty<ViewMode> viewModeProperty() { return viewMode; }
    public DoubleProperty alphaProperty() { return alpha; }
    public ObjectProperty<PaneViewModel> compareWithProperty() { return compareWith; }
    public BooleanProperty referenceProperty() { return reference; }
    public ObservableList<KnobViewModel> knobs() { return knobs; }
    public ObjectProperty<PaneResult> resultProperty() { return result; }
    public PaneResult result() { return result.get(); }
    public DoubleProperty fpsProperty() { return fps; }
    public ObjectProperty<Timings> latencyProperty() { return latency; }
    public LongProperty droppedProperty() { return dropped; }
    public BooleanProperty droppingNowProperty() { return droppingNow; }
    public StringProperty errorProperty() { return error; }
    public StringProperty hoverProperty() { return hover; }
    /** A confusion-matrix cell to show on the picture, or null. */
    public ObjectProperty<CellHighlight> highlightProperty() { return highlight; }
    /** Pixels of the shown frame in the highlighted cell; -1 when there is no highlight on screen. */
    public LongProperty highlightedProperty() { return highlighted; }
    /** The classes as drawn: the model's, with the colours chosen in the legend. */
    public LabelSet shownLabels() { return shownLabels; }

    /**
     * Draws a class in another colour from now on (FX thread). Masks, overlays and the recording
     * use it; the model's own palette is left as it is.
     */
    public void setClassColor(int classId, int rgb) {
        LabelSet l = shownLabels;
        if (classId < 0 || classId >= l.size() || l.rgb(classId) == (rgb & 0xFFFFFF)) return;
        int[] palette = l.palette();
        palette[classId] = rgb & 0xFFFFFF;
        shownLabels = new LabelSet(l.dataset(), l.classes(), palette, l.ignoreIndex());
        redraw();
    }

    /** What the pane shows now; null before the first result. */
    public ObjectProperty<PanePicture> pictureProperty() { return picture; }

    /** Called on the FX thread after each finished prediction. */
    public void setOnResult(BiConsumer<PaneViewModel, PaneResult> listener) { this.onResult = listener; }

    /**
     * Called on the pane's worker thread when it takes a frame out of its mailbox, before working
     * on it: when the models set the pace, the player hands out the next frame once every pane has
     * taken this one, so each pane has its next frame waiting when it is done and none is dropped.
     */
    public void setOnTaken(BiConsumer<PaneViewModel, SourceFrame> listener) { this.onTaken = listener; }

    /** Frames predicted, shown and dropped since the pane opened, and the summed stage times. */
    public SpeedTotals.Reading speedTotals() { return totals.read(worker.dropped()); }

    /** The prediction this pane made for a frame, if it still has it. */
    public Prediction predictionFor(String frameKey) {
        synchronized (recent) {
            PaneResult r = recent.get(frameKey);
            return r == null ? null : r.prediction();
        }
    }

    /**
     * The newest frame both panes have a prediction for, as (this pane's result, the other's). While
     * a video plays, two models of different speed drop different frames; comparing them needs one
     * frame they both saw.
     */
    public Optional<PaneResult[]> latestCommonResult(PaneViewModel other) {
        List<PaneResult> mine;
        synchronized (recent) { mine = new ArrayList<>(recent.values()); }
        for (int i = mine.size() - 1; i >= 0; i--) {
            PaneResult theirs;
            synchronized (other.recent) { theirs = other.recent.get(mine.get(i).frame().key()); }
            if (theirs != null) return Optional.of(new PaneResult[] {mine.get(i), theirs});
        }
        return Optional.empty();
    }

    /**
     * Offers a frame (any thread: the player hands frames over from its own); a frame still
     * waiting from before is dropped.
     */
    public void submit(SourceFrame frame) {
        submittedSerial = Math.max(submittedSerial, frame.serial());
        if (!worker.submit(frame)) {
            dropHistory.addLast(new long[] {System.nanoTime()});
            if (dropShown.compareAndSet(false, true)) {
                fx.execute(() -> {
                    dropShown.set(false);
                    dropped.set(worker.dropped());
                });
            }
        }
    }

    /** Whether this pane was handed this frame (or a newer one) already. */
    public boolean wasGiven(SourceFrame frame) { return submittedSerial >= frame.serial(); }

    /** Once a second: forget old drops so "dropping frames" goes away when the model keeps up. */
    public void tick() {
        long cutoff = System.nanoTime() - 3_000_000_000L;
        while (!dropHistory.isEmpty() && dropHistory.peekFirst()[0] < cutoff) dropHistory.removeFirst();
        droppingNow.set(!dropHistory.isEmpty());
    }

    public void resetKnobs() { knobs.forEach(KnobViewModel::reset); }

    /** Sets one knob; the caller re-runs the current frame. */
    private void applyKnob(String knob, float value) {
        SegmentationModel m = model.get();
        if (m == null) return;
        try {
            m.setKnob(knob, value);
        } catch (SegbenchException e) {
            notifier.error(name.get(), e.getMessage());
        }
    }

    public Map<String, Float> knobValues() {
        Map<String, Float> m = new HashMap<>();
        for (KnobViewModel k : knobs) m.put(k.name(), (float) k.valueProperty().get());
        return m;
    }

    /** Hands over a model opened for another provider; the worker swaps it in between frames. */
    public void swapModel(SegmentationModel next) {
        SegmentationModel old = pendingSwap.getAndSet(next);
        if (old != null) old.close();
        fx.execute(() -> {
            provider.set(next.provider().name());
            providerNote.set(next.providerNote());
            showConventions(next);
        });
    }

    public String providerName() {
        SegmentationModel m = model.get();
        return m == null ? Provider.CPU.name() : m.provider().name();
    }

    /**
     * Runs this pane's model on an image from any background thread (folder evaluation), safely
     * against the pane being closed meanwhile.
     */
    public Prediction predict(Mat bgr) throws SegbenchException {
        life.readLock().lock();
        try {
            SegmentationModel m = model.get();
            if (m == null || closed) throw new SegbenchException("pane " + id + " was closed");
            return m.predict(bgr);
        } finally {
            life.readLock().unlock();
        }
    }

    // ---- drawing (FX thread) ----

    /**
     * Draws the latest result as the view mode says, with the notes that go with it: why there is
     * no error map, how much two panes differ. Called on every result and setting change, and by
     * the workbench when the ground truth or the hidden classes change.
     */
    public void redraw() {
        PaneResult r = result.get();
        if (r == null) {
            picture.set(null);
            return;
        }
        ViewMode mode = viewMode.get();
        PaneResult shown = r;
        LabelMap truth = null;
        LabelMap compared = null;
        if (mode == ViewMode.ERROR) {
            Optional<LabelMap> gt = context.groundTruthFor(r.frame());
            boolean fits = gt.isPresent() && sameSize(gt.get(), r.prediction().labels());
            truth = fits ? gt.get() : null;
            error.set(fits ? "" : gt.isPresent() ? "ground truth is " + gt.get().size() + ", frame is "
                    + r.prediction().labels().size() : "no ground truth for this frame");
        } else if (mode == ViewMode.DISAGREEMENT) {
            PaneViewModel other = compareWith.get();
            Optional<PaneResult[]> both = other == null ? Optional.empty() : latestCommonResult(other);
            if (other == null) {
                hover.set("choose a pane to compare with");
            } else if (both.isEmpty() || !sameSize(both.get()[1].prediction().labels(), both.get()[0].prediction().labels())) {
                return; // keep the last comparison on screen until both panes share a frame again
            } else {
                shown = both.get()[0];
                compared = both.get()[1].prediction().labels();
                LabelMap mine = shown.prediction().labels();
                hover.set(String.format(Locale.ROOT, "%.1f%% differ on #%d",
                        100.0 * ViewRenderer.differingPixels(mine, compared) / Math.max(1, mine.labels().length),
                        shown.frame().index()));
            }
        }
        float[] confidence = null;
        if (mode == ViewMode.CONFIDENCE) {
            confidence = confidenceOf(shown);
            error.set(confidence == null ? NO_CONFIDENCE : "");
        } else if (error.get().equals(NO_CONFIDENCE)) {
            error.set("");
        }
        Drawing drawing = new Drawing(mode, renderOptions());
        lastDrawing = drawing;
        Drawn ready = predrawn.get();
        if (highlight.get() == null && ready != null && ready.result() == shown && ready.drawing().equals(drawing)) {
            predrawn.compareAndSet(ready, null);  // drawn on the worker already: only show it
            highlighted.set(-1);
            picture.set(ready.picture());
            return;
        }
        LabelMap labels = shown.prediction().labels();
        ViewInput in = new ViewInput(shown.frame().bgr(), shownLabels, labels, truth, compared, confidence);
        int[] argb = ViewRenderer.render(mode, in, drawing.options());
        highlighted.set(highlight(shown, argb));
        picture.set(new PanePicture(argb, labels.width(), labels.height()));
    }

    /** The top-class probability of every pixel, or null when the model gives labels only. */
    private static float[] confidenceOf(PaneResult r) {
        var scores = r.prediction().scores();
        if (scores == null) return null;
        try {
            return scores.toArray();
        } catch (IllegalStateException released) {
            return null;
        }
    }

    /** Puts the chosen confusion-matrix cell on the picture; the pixel count, or -1 without a truth for the frame. */
    private long highlight(PaneResult shown, int[] argb) {
        CellHighlight cell = highlight.get();
        if (cell == null) return -1;
        LabelMap prediction = shown.prediction().labels();
        LabelMap truth;
        if (cell.truthPane() == null) {
            truth = context.groundTruthFor(shown.frame()).orElse(null);
        } else {
            Prediction p = cell.truthPane().predictionFor(shown.frame().key());
            truth = p == null ? null : p.labels();
        }
        if (truth == null || !sameSize(truth, prediction)) return -1;
        return ViewRenderer.highlightCell(argb, truth, prediction, cell.truthClass(), cell.predictedClass());
    }

    private PanePicture draw(PaneResult shown, ViewMode mode, LabelMap truth, LabelMap compared, RenderOptions options) {
        LabelMap labels = shown.prediction().labels();
        ViewInput in = new ViewInput(shown.frame().bgr(), shownLabels, labels, truth, compared);
        return new PanePicture(ViewRenderer.render(mode, in, options), labels.width(), labels.height());
    }

    /**
     * Draws a new result on the worker thread, as the FX thread last drew (the modes that need only
     * the frame and the prediction), so the FX thread only puts the picture on screen. With four
     * panes it would otherwise colour four overlays per frame, one after another, between pulses.
     */
    private void predraw(PaneResult r) {
        Drawing d = lastDrawing;
        if (d == null || !(d.mode() == ViewMode.OVERLAY || d.mode() == ViewMode.MASK || d.mode() == ViewMode.IMAGE)) {
            return;
        }
        predrawn.set(new Drawn(r, d, draw(r, d.mode(), null, null, d.options())));
    }

    /** Hidden classes by name (the legend merges models by name), transparent where nothing is drawn. */
    private RenderOptions renderOptions() {
        Set<String> names = context.hiddenClasses();
        Set<Integer> hidden = new HashSet<>();
        for (int c = 0; c < labels.size(); c++) if (names.contains(labels.name(c))) hidden.add(c);
        return new RenderOptions(alpha.get(), hidden, true);
    }

    private static boolean sameSize(LabelMap a, LabelMap b) {
        return a.width() == b.width() && a.height() == b.height();
    }

    // ---- worker thread ----

    private void takeAndInfer(SourceFrame frame) {
        onTaken.accept(this, frame);
        infer(frame);
    }

    /**
     * The worker's half of a frame: preprocess and inference, then the frame goes to the
     * postprocess stage and the worker is free for the next one, so frame N's argmax and drawing
     * overlap frame N+1's inference (as in the engine's pipeline). Returns once the stage took it.
     */
    private void infer(SourceFrame frame) {
        SegmentationModel next = pendingSwap.getAndSet(null);
        if (next != null) {
            SegmentationModel old;
            life.writeLock().lock();
            try {
                old = model.getAndSet(next);
                if (old != null) old.close();
            } finally {
                life.writeLock().unlock();
            }
        }
        SegmentationModel m = model.get();
        if (m == null) return;
        try {
            InferredFrame inferred;
            Mat bgr = frame.toMat();
            life.readLock().lock();
            try {
                if (closed || model.get() != m) return;
                inferred = m.infer(bgr);
            } finally {
                life.readLock().unlock();
                bgr.release();
            }
            if (!postprocess.handOff(new Inferred(frame, m, inferred))) inferred.discard();
        } catch (SegbenchException | RuntimeException e) {
            failed(frame, m, e);
        }
    }

    /** A frame between the two stages, with the model that ran it. */
    private record Inferred(SourceFrame frame, SegmentationModel model, InferredFrame inferred) { }

    /** The postprocess stage's half: labels (and scores), the picture, and the result to the FX thread. */
    private void postprocess(Inferred job) {
        SourceFrame frame = job.frame();
        try {
            Prediction p;
            life.readLock().lock();
            try {
                // a model swapped or closed since the frame ran: its buffers are gone, the frame too
                if (closed || model.get() != job.model()) return;
                p = job.inferred().finish();
            } finally {
                life.readLock().unlock();
            }
            PaneResult r = new PaneResult(frame, p);
            totals.predicted(p.timings());
            predraw(r);
            synchronized (recent) {
                // Checked under the lock close() clears under: a result finishing as the pane
                // closes is either cleared by close() or never stored.
                if (closed) {
                    release(r);
                    return;
                }
                recent.remove(frame.key()); // re-insert: newest last
                recent.put(frame.key(), r);
            }
            // Coalesce on the way to the FX thread: only the newest undelivered result is kept.
            PaneResult undelivered = closed ? null : toFx.getAndSet(r);
            if (undelivered != null) release(undelivered);  // replaced before it was shown
            if (!closed && undelivered == null) {
                fx.execute(() -> {
                    PaneResult latest = toFx.getAndSet(null);
                    if (latest != null) accept(latest);
                });
            }
        } catch (RuntimeException e) {
            failed(frame, job.model(), e);
        }
    }

    private void failed(SourceFrame frame, SegmentationModel m, Exception e) {
        String msg = e instanceof SegbenchException se ? se.getMessage() : Notifier.describe(e);
        fx.execute(() -> error.set("Failed on frame " + frame.index() + ": " + msg));
        notifier.error(m.path().getFileName() + " failed to run", msg);
    }

    private void accept(PaneResult r) {
        if (closed) return;
        inputSize.set("in " + r.prediction().inputSize());
        Timings t = r.prediction().timings();
        // Two stages overlap, so results can come faster than one frame's latency: the live FPS
        // is the rate results arrive at, and never below 1 / latency (a still image, a pause).
        long now = System.nanoTime();
        double sinceLast = lastResultNanos == 0 ? t.totalMs() : (now - lastResultNanos) / 1e6;
        lastResultNanos = now;
        meter.record(Math.min(sinceLast, t.totalMs()));
        fps.set(meter.liveFps());
        smoothed = smoothed == null ? t : new Timings(ema(smoothed.preprocessMs(), t.preprocessMs()),
                ema(smoothed.inferenceMs(), t.inferenceMs()), ema(smoothed.postprocessMs(), t.postprocessMs()));
        latency.set(smoothed);
        error.set("");
        PaneResult previous = result.get();
        totals.shown();
        result.set(r);
        if (previous != null && previous != r) release(previous);
        onResult.accept(this, r);
    }

    /**
     * A result no longer shown keeps its labels (the frame history compares panes on them) but
     * not its logits: only the shown result answers the hover readout.
     */
    private static void release(PaneResult r) {
        if (r.prediction().scores() != null) r.prediction().scores().release();
    }

    private static double ema(double old, double now) { return old * 0.8 + now * 0.2; }

    private void closeModels() {
        postprocess.close();
        try {
            postprocess.awaitExit(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        life.writeLock().lock();
        SegmentationModel m;
        try {
            m = model.getAndSet(null);
            if (m != null) m.close();
        } finally {
            life.writeLock().unlock();
        }
        SegmentationModel s = pendingSwap.getAndSet(null);
        if (s != null) s.close();
    }

    /** Stops the worker; the model closes once its running frame (if any) is done. */
    @Override
    public void close() {
        closed = true;
        worker.close();
        // Whoever still holds this pane (a table row, a pending FX event) must not pin its frames.
        PaneResult shown = result.get();
        if (shown != null) release(shown);
        PaneResult pending = toFx.getAndSet(null);
        if (pending != null) release(pending);
        predrawn.set(null);
        synchronized (recent) { recent.clear(); }
    }

    public boolean isClosed() { return closed; }

    /** After {@link #close()}: waits up to {@code millis} for the running frame and the model's close. */
    public boolean awaitClosed(long millis) throws InterruptedException { return worker.awaitExit(millis); }

    /** For tests and the status line: frames this pane has finished. */
    public long completed() { return worker.completed(); }

}
