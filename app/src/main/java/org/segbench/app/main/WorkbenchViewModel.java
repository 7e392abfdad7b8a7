package org.segbench.app.main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.scene.paint.Color;

import org.opencv.core.Mat;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.legend.LegendViewModel;
import org.segbench.app.metrics.IouAccumulator;
import org.segbench.app.metrics.IouRow;
import org.segbench.app.metrics.IouTableViewModel;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneResult;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewMode;
import org.segbench.app.prefs.RecentModels;
import org.segbench.app.source.PlayerViewModel;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.viewport.Viewport;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Prediction;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.metrics.ConfusionMatrix;
import org.segbench.engine.source.ImageFiles;

/**
 * The whole workbench's state: source, panes (1-4 models on the same frame), legend, ground truth,
 * the IoU table and background jobs. Views bind to its properties; it never touches a control.
 * Slow work (loading models, evaluating a folder, metrics) runs off the FX thread.
 */
public final class WorkbenchViewModel implements AutoCloseable {
    public static final int MAX_PANES = 4;
    public static final String SKIP_KNOB = "skip_gain";

    private final Path root;
    private final Notifier notifier;
    private final RecentModels recent;
    private final Viewport viewport = new Viewport();
    private final LegendViewModel legend = new LegendViewModel();
    private final IouTableViewModel iou = new IouTableViewModel();
    private final IouAccumulator accumulator = new IouAccumulator();
    private final PlayerViewModel player;
    private final ObservableList<PaneViewModel> panes = FXCollections.observableArrayList();
    private final ObservableList<Path> recentModels = FXCollections.observableArrayList();
    private final ObjectProperty<GroundTruthIndex> groundTruth = new SimpleObjectProperty<>();
    private final ObjectProperty<PaneViewModel> reference = new SimpleObjectProperty<>();
    private final ObjectProperty<Task<?>> job = new SimpleObjectProperty<>();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final ExecutorService loader = daemonPool("model-loader", 1);
    private final ExecutorService metrics = daemonPool("metrics", 1);
    private final ExecutorService jobs = daemonPool("jobs", 1);
    private final String cudaReason = ProviderSupport.cudaUnavailableReason();
    private Path sourcePath;
    private int nextPaneId = 1;
    private int pendingLoads;
    /** Pane ids of the skip ablation (gain 1, gain 0), for the delta column. */
    private int[] ablation;
    private Consumer<SourceFrame> frameListener = f -> { };
    private volatile boolean closed;

    public WorkbenchViewModel(Path root, Notifier notifier, RecentModels recent) {
        this.root = root;
        this.notifier = notifier;
        this.recent = recent;
        this.player = new PlayerViewModel(notifier);
        recentModels.setAll(recent.list());
        player.setOnFrame(this::onFrame);
        groundTruth.addListener((o, a, b) -> resetIou());
        reference.addListener((o, a, b) -> {
            if (a != null) a.referenceProperty().set(false);
            if (b != null) b.referenceProperty().set(true);
            resetIou();
        });
    }

    public Path root() { return root; }
    public Notifier notifier() { return notifier; }
    public Viewport viewport() { return viewport; }
    public LegendViewModel legend() { return legend; }
    public IouTableViewModel iou() { return iou; }
    public PlayerViewModel player() { return player; }
    public ObservableList<PaneViewModel> panes() { return panes; }
    public ObservableList<Path> recentModels() { return recentModels; }
    public ObjectProperty<GroundTruthIndex> groundTruthProperty() { return groundTruth; }
    public ObjectProperty<PaneViewModel> referenceProperty() { return reference; }
    public ObjectProperty<Task<?>> jobProperty() { return job; }
    public StringProperty statusProperty() { return status; }
    public BooleanProperty loadingProperty() { return loading; }
    public String cudaReason() { return cudaReason; }
    public Optional<Path> sourcePath() { return Optional.ofNullable(sourcePath); }

    /** Extra listener for every new frame on the FX thread (the recorder). */
    public void setFrameListener(Consumer<SourceFrame> l) { this.frameListener = l; }

    // ---------------------------------------------------------------- sources

    public void openSource(Path path) {
        sourcePath = path;
        List<Path> withoutLabels = framesWithoutLabels(path);
        if (withoutLabels != null) player.openImages(withoutLabels);
        else player.open(path);
        if (groundTruth.get() == null && !ImageFiles.isVideo(path)) {
            GroundTruthIndex.besideSource(path).ifPresent(gt -> attachGroundTruth(gt, true));
        }
    }

    /**
     * A Cityscapes-style folder keeps its label PNGs beside the images: play only the images.
     * Null when the folder has no such labels (the engine's folder source is used as is).
     */
    private List<Path> framesWithoutLabels(Path path) {
        if (!Files.isDirectory(path)) return null;
        try {
            List<Path> all = ImageFiles.listImages(path);
            List<Path> images = all.stream().filter(p -> !p.getFileName().toString().contains("_gtFine_")).toList();
            return images.size() == all.size() || images.isEmpty() ? null : images;
        } catch (SegbenchException e) {
            return null; // the player reports the folder problem itself
        }
    }

    public void openImages(List<Path> files) {
        if (files.size() == 1) {
            openSource(files.get(0));
            return;
        }
        sourcePath = null;
        player.openImages(files);
        if (groundTruth.get() == null && !files.isEmpty()) {
            GroundTruthIndex.besideSource(files.get(0)).ifPresent(gt -> attachGroundTruth(gt, true));
        }
    }

    public void openWebcam(int device) {
        sourcePath = null;
        player.openWebcam(device);
    }

    /** Sorts dropped files: models become panes, one folder/video/image becomes the source. */
    public void drop(List<Path> files) {
        List<Path> images = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".onnx")) addModel(f);
            else if (Files.isDirectory(f) || ImageFiles.isVideo(f)) openSource(f);
            else if (ImageFiles.isImage(f)) images.add(f);
            else notifier.error(f.getFileName().toString(), "not a model (.onnx), image, video or folder");
        }
        if (!images.isEmpty()) openImages(images);
    }

    private void onFrame(SourceFrame frame) {
        for (PaneViewModel p : panes) p.submit(frame);
        frameListener.accept(frame);
    }

    // ---------------------------------------------------------------- models

    public void addModel(Path file) { addModel(file, Map.of(), null); }

    /**
     * Loads a model in the background and adds a pane for it; a failure becomes a notification
     * naming the file, and the panes already open stay as they are.
     */
    public void addModel(Path file, Map<String, Float> knobs, Consumer<PaneViewModel> then) {
        if (panes.size() + pendingLoads >= MAX_PANES) {
            notifier.warn(file.getFileName().toString(), "at most " + MAX_PANES + " panes: remove one first");
            return;
        }
        pendingLoads++;
        loading.set(true);
        Task<SegmentationModel> load = new Task<>() {
            @Override
            protected SegmentationModel call() throws Exception {
                SegmentationModel m = SegmentationModel.load(file, ModelOptions.defaults().withKnobs(knobs));
                try {
                    // One small run so the first real frame does not pay ONNX Runtime's start-up.
                    m.warmUp(m.defaultInputSize(), 1);
                    return m;
                } catch (SegbenchException | RuntimeException e) {
                    m.close();
                    throw e;
                }
            }
        };
        load.setOnSucceeded(e -> {
            loadDone();
            PaneViewModel pane = new PaneViewModel(nextPaneId++, load.getValue(), notifier);
            pane.setOnResult(this::onPaneResult);
            knobs.forEach((k, v) -> pane.knobs().stream().filter(kv -> kv.name().equals(k))
                    .forEach(kv -> kv.valueProperty().set(v)));
            for (var kv : pane.knobs()) kv.valueProperty().addListener((o, a, b) -> rerun(pane));
            panes.add(pane);
            // Numbers from the start: without ground truth, the first pane is the reference
            // until the user picks another.
            if (groundTruth.get() == null && reference.get() == null && panes.size() == 2) reference.set(panes.get(0));
            refreshLegend();
            recent.add(file);
            recentModels.setAll(recent.list());
            status.set("Loaded " + pane.name() + " (" + pane.providerProperty().get() + ")");
            if (then != null) then.accept(pane);
            SourceFrame f = player.current();
            if (f != null) pane.submit(f);
        });
        load.setOnFailed(e -> {
            loadDone();
            Throwable t = load.getException();
            notifier.error("Cannot open model " + file.getFileName(),
                    t instanceof SegbenchException se ? se.problem() : Notifier.describe(t));
        });
        loader.execute(load);
    }

    private void loadDone() {
        pendingLoads--;
        loading.set(pendingLoads > 0);
    }

    public void removePane(PaneViewModel pane) {
        panes.remove(pane);
        for (PaneViewModel p : panes) if (p.compareWithProperty().get() == pane) p.compareWithProperty().set(null);
        if (reference.get() == pane) reference.set(null);
        if (ablation != null && (ablation[0] == pane.id() || ablation[1] == pane.id())) ablation = null;
        accumulator.reset(pane.id());
        pane.close();
        refreshLegend();
        rebuildTable();
    }

    public void removeAllPanes() {
        for (PaneViewModel p : List.copyOf(panes)) removePane(p);
    }

    /** Knob changed: run the current frame again at once, and restart this pane's IoU. */
    private void rerun(PaneViewModel pane) {
        accumulator.reset(pane.id());
        SourceFrame f = player.current();
        if (f != null) pane.submit(f);
    }

    /** Re-opens a pane's model on another provider in the background, keeping its knob values. */
    public void switchProvider(PaneViewModel pane, String provider) {
        if (pane.providerName().equals(provider)) return;
        ModelOptions options = pane.model().options().withProvider(Provider.parse(provider));
        reopen(pane, options, m -> pane.name() + " now runs on " + m.provider() + ": " + m.providerNote());
    }

    /**
     * Re-opens a pane's model at another network input size ({@code null}: the frame's size, rounded
     * to 32). Its IoU restarts: numbers at two input sizes are two different experiments.
     */
    public void switchInputSize(PaneViewModel pane, Size size) {
        ModelOptions current = pane.model().options();
        if (current.inputSize().equals(Optional.ofNullable(size))) return;
        ModelOptions options = current.withInputSize(size).withProvider(Provider.parse(pane.providerName()));
        reopen(pane, options, m -> pane.name() + " now runs at "
                + (size == null ? "the frame's size" : size.toString()) + " on " + m.provider());
    }

    /** Loads the pane's model again with other options, keeping its knob values; swapped in between frames. */
    private void reopen(PaneViewModel pane, ModelOptions options, java.util.function.Function<SegmentationModel, String> done) {
        Path file = pane.model().path();
        Map<String, Float> knobs = pane.knobValues();
        Task<SegmentationModel> load = new Task<>() {
            @Override
            protected SegmentationModel call() throws Exception {
                return SegmentationModel.load(file, options.withKnobs(knobs));
            }
        };
        load.setOnSucceeded(e -> {
            pane.swapModel(load.getValue());
            status.set(done.apply(load.getValue()));
            rerun(pane);
        });
        load.setOnFailed(e -> notifier.error(file.getFileName() + ": cannot re-open", Notifier.describe(load.getException())));
        loader.execute(load);
    }

    private void refreshLegend() {
        List<List<LegendViewModel.ClassColor>> sets = new ArrayList<>();
        for (PaneViewModel p : panes) {
            List<LegendViewModel.ClassColor> set = new ArrayList<>();
            LabelSet l = p.labels();
            for (int c = 0; c < l.size(); c++) set.add(new LegendViewModel.ClassColor(l.name(c), rgb(l.rgb(c))));
            sets.add(set);
        }
        legend.setLabelSets(sets);
    }

    static Color rgb(int packed) {
        return Color.rgb(packed >> 16 & 0xFF, packed >> 8 & 0xFF, packed & 0xFF);
    }

    // ---------------------------------------------------------------- hover

    /** Class and score under image pixel (x, y) for every pane; (-1, -1) clears. */
    public void hoverAt(int x, int y) {
        for (PaneViewModel p : panes) {
            PaneResult r = p.result();
            if (r == null || x < 0 || y < 0 || x >= r.prediction().width() || y >= r.prediction().height()) {
                if (p.viewModeProperty().get() != ViewMode.DISAGREEMENT) p.hoverProperty().set("");
                continue;
            }
            Prediction pr = r.prediction();
            int c = pr.labelAt(x, y);
            String score = pr.scoreAt(x, y).map(s -> String.format(Locale.ROOT, " %.2f", s)).orElse("");
            p.hoverProperty().set(String.format(Locale.ROOT, "(%d,%d) %s%s", x, y, p.labels().name(c), score));
        }
        status.set(x < 0 ? "" : "pixel " + x + ", " + y);
    }

    // ---------------------------------------------------------------- ground truth and IoU

    public void attachGroundTruth(Path path) { attachGroundTruth(path, false); }

    private void attachGroundTruth(Path path, boolean automatic) {
        try {
            GroundTruthIndex gt = GroundTruthIndex.open(path);
            groundTruth.set(gt);
            (automatic ? (Consumer<String>) s -> status.set(s) : (Consumer<String>) s -> notifier.info("Ground truth", s))
                    .accept("Ground truth: " + gt.describe());
            SourceFrame f = player.current();
            if (f != null) player.redeliver();
        } catch (SegbenchException e) {
            notifier.error("Ground truth " + path.getFileName(), e.problem());
        }
    }

    public void detachGroundTruth() { groundTruth.set(null); }

    /** Ground truth of a frame, when attached and found; read errors are reported once per frame. */
    public Optional<LabelMap> groundTruthFor(SourceFrame frame) {
        GroundTruthIndex gt = groundTruth.get();
        if (gt == null) return Optional.empty();
        try {
            return gt.read(frame);
        } catch (SegbenchException e) {
            return Optional.empty();
        }
    }

    public void resetIou() {
        accumulator.reset();
        rebuildTable();
    }

    private void onPaneResult(PaneViewModel pane, PaneResult r) {
        if (closed) return;
        GroundTruthIndex gt = scoringGroundTruth();
        PaneViewModel ref = reference.get();
        if (gt == null && ref == null) return;
        List<PaneViewModel> all = List.copyOf(panes);
        runMetrics(() -> {
            try {
                if (gt != null) {
                    accumulateGroundTruth(gt, pane, r);
                } else if (pane == ref) {
                    // The reference moved on: score every other pane that has this frame too.
                    for (PaneViewModel p : all) {
                        Prediction q = p == ref ? null : p.predictionFor(r.frame().key());
                        if (q != null && p.labels().size() == ref.labels().size()) {
                            accumulator.put(p.id(), r.frame().key(), ref.labels(), r.prediction().labels(), q.labels());
                        }
                    }
                } else {
                    Prediction truth = ref.predictionFor(r.frame().key());
                    if (truth != null && pane.labels().size() == ref.labels().size()) {
                        accumulator.put(pane.id(), r.frame().key(), ref.labels(), truth.labels(), r.prediction().labels());
                    }
                }
            } catch (SegbenchException e) {
                notifier.error(pane.name(), e.getMessage());
            }
            rebuildTable();
        });
    }

    private final Map<String, Boolean> reportedGt = new HashMap<>();

    /** Metrics work, unless the window is closing (late results from pane threads are dropped). */
    private void runMetrics(Runnable r) {
        if (closed) return;
        try {
            metrics.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing left to show it in
        }
    }

    /** True when IoU is measured against the reference pane (no ground truth, or none that fits). */
    public boolean referenceScoring() {
        return reference.get() != null && scoringGroundTruth() == null;
    }

    /**
     * The ground truth, if at least one pane's classes fit it; otherwise scoring falls back to the
     * reference pane (e.g. a Cityscapes Fast-SCNN ablation on a CamVid frame).
     */
    private GroundTruthIndex scoringGroundTruth() {
        GroundTruthIndex gt = groundTruth.get();
        if (gt == null) return null;
        if (reference.get() == null) return gt;
        for (PaneViewModel p : panes) if (p.labels().size() == gt.labelSet().size()) return gt;
        return null;
    }

    private void accumulateGroundTruth(GroundTruthIndex gt, PaneViewModel pane, PaneResult r) throws SegbenchException {
        Optional<Path> file = gt.fileFor(r.frame());
        if (file.isEmpty()) return;
        LabelMap truth;
        try {
            truth = gt.read(r.frame()).orElseThrow();
        } catch (SegbenchException e) {
            if (reportedGt.put(file.get().toString(), true) == null) notifier.error(file.get().getFileName().toString(), e.problem());
            return;
        }
        if (truth.width() != r.prediction().width() || truth.height() != r.prediction().height()) {
            if (reportedGt.put(file.get() + "size", true) == null) {
                notifier.error(file.get().getFileName().toString(), "ground truth is " + truth.size()
                        + " but the frame is " + r.prediction().labels().size());
            }
            return;
        }
        if (pane.labels().size() != gt.labelSet().size()) return; // shown in the caption
        accumulator.put(pane.id(), r.frame().key(), gt.labelSet(), truth, r.prediction().labels());
    }

    /** Recomputes the table from the accumulated matrices (any thread). */
    private void rebuildTable() {
        if (closed) return;
        // Pane list and properties belong to the FX thread; the sums themselves are cheap.
        if (!Platform.isFxApplicationThread()) {
            Platform.runLater(this::rebuildTable);
            return;
        }
        List<PaneViewModel> all = new ArrayList<>(panes);
        GroundTruthIndex gt = scoringGroundTruth();
        PaneViewModel ref = reference.get();
        int[] abl = ablation;
        LabelSet labels;
        List<PaneViewModel> cols = new ArrayList<>();
        StringBuilder caption = new StringBuilder();
        if (gt != null) {
            labels = gt.labelSet();
            cols.addAll(all);
            caption.append("IoU % vs ground truth (").append(gt.describe()).append(")");
        } else if (ref != null) {
            labels = ref.labels();
            for (PaneViewModel p : all) if (p != ref) cols.add(p);
            caption.append(groundTruth.get() == null ? "No ground truth: " : "Ground truth does not fit these models: ")
                    .append("IoU % against the reference pane ").append(ref.name()).append(" #").append(ref.id());
        } else {
            Platform.runLater(() -> iou.set(List.of(), List.of(),
                    "No ground truth: attach a label folder or file (Numbers menu), or make a pane the reference."));
            return;
        }
        List<String> names = new ArrayList<>();
        List<ConfusionMatrix> totals = new ArrayList<>();
        long frames = 0;
        for (PaneViewModel p : cols) {
            names.add(uniqueName(p, all));
            boolean fits = p.labels().size() == labels.size();
            ConfusionMatrix m = fits ? accumulator.total(p.id(), labels) : null;
            if (!fits) caption.append(" · ").append(p.name()).append(": ").append(p.labels().size())
                    .append(" classes do not fit ").append(labels.dataset());
            totals.add(m);
            if (m != null) frames = Math.max(frames, m.frames());
        }
        caption.append(" · ").append(frames).append(frames == 1 ? " frame" : " frames");
        List<IouRow> rows = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            double[] v = new double[totals.size()];
            for (int i = 0; i < v.length; i++) v[i] = totals.get(i) == null ? Double.NaN : totals.get(i).iou(c);
            rows.add(new IouRow(labels.name(c), rgb(labels.rgb(c)), v, false));
        }
        double[] miou = new double[totals.size()], pa = new double[totals.size()];
        for (int i = 0; i < totals.size(); i++) {
            miou[i] = totals.get(i) == null ? Double.NaN : totals.get(i).meanIou();
            pa[i] = totals.get(i) == null ? Double.NaN : totals.get(i).pixelAccuracy();
        }
        rows.add(new IouRow("mIoU", null, miou, true));
        rows.add(new IouRow("pixel acc.", null, pa, true));
        int da = -1, db = -1;
        if (abl != null) {
            for (int i = 0; i < cols.size(); i++) {
                if (cols.get(i).id() == abl[0]) da = i;
                if (cols.get(i).id() == abl[1]) db = i;
            }
        }
        final int fa = da, fb = db;
        String text = caption.toString();
        Platform.runLater(() -> iou.set(names, rows, text, fa, fb));
    }

    private static String uniqueName(PaneViewModel p, List<PaneViewModel> all) {
        long same = all.stream().filter(q -> q.name().equals(p.name())).count();
        return same > 1 ? p.name() + " #" + p.id() : p.name();
    }

    /**
     * Runs every pane's model over every image of the source folder that has ground truth, in the
     * background, with progress and cancel. Each image replaces its own counts, so the table ends
     * up as the folder's result.
     */
    public Task<Integer> evaluateFolder() {
        GroundTruthIndex gt = groundTruth.get();
        Path folder = sourcePath != null && Files.isDirectory(sourcePath) ? sourcePath
                : sourcePath != null ? sourcePath.getParent() : null;
        if (gt == null || folder == null || gt.isSingleFile()) {
            notifier.warn("Evaluate folder", gt == null ? "attach a ground-truth folder first"
                    : folder == null ? "open an image folder first" : "a single label file has only one image");
            return null;
        }
        if (panes.isEmpty()) {
            notifier.warn("Evaluate folder", "add a model first");
            return null;
        }
        player.pause();
        List<PaneViewModel> all = List.copyOf(panes);
        Task<Integer> task = new Task<>() {
            @Override
            protected Integer call() throws Exception {
                List<Path> images = ImageFiles.listImages(folder).stream().filter(p -> gt.fileFor(p).isPresent()).toList();
                updateTitle("Evaluating " + folder.getFileName());
                int done = 0;
                for (Path img : images) {
                    if (isCancelled()) break;
                    updateMessage(img.getFileName().toString());
                    Mat bgr;
                    LabelMap truth;
                    try {
                        bgr = ImageFiles.readBgr(img);
                        truth = gt.format().read(gt.fileFor(img).orElseThrow());
                    } catch (SegbenchException e) {
                        notifier.error(e.file().map(f -> f.getFileName().toString()).orElse(img.getFileName().toString()), e.problem());
                        continue;
                    }
                    try {
                        for (PaneViewModel p : all) {
                            if (isCancelled()) break;
                            if (p.labels().size() != gt.labelSet().size() || p.isClosed()) continue;
                            Prediction pr;
                            try {
                                pr = p.predict(bgr);
                            } catch (SegbenchException e) {
                                if (p.isClosed()) continue; // removed while we ran: skip it
                                notifier.error(p.name() + " on " + img.getFileName(), e.problem());
                                continue;
                            }
                            if (pr.width() != truth.width() || pr.height() != truth.height()) {
                                notifier.error(img.getFileName().toString(), "ground truth is " + truth.size() + " but the image is " + pr.labels().size());
                                break;
                            }
                            accumulator.put(p.id(), img.toString(), gt.labelSet(), truth, pr.labels());
                        }
                    } finally {
                        bgr.release();
                    }
                    done++;
                    updateProgress(done, images.size());
                    if (done % 5 == 0 || done == images.size()) rebuildTable();
                }
                rebuildTable();
                return done;
            }
        };
        task.setOnSucceeded(e -> {
            job.set(null);
            notifier.info("Evaluation finished", task.getValue() + " images of " + folder.getFileName());
        });
        task.setOnCancelled(e -> {
            job.set(null);
            rebuildTable();
            status.set("Evaluation cancelled");
        });
        task.setOnFailed(e -> {
            job.set(null);
            notifier.error("Evaluate " + folder.getFileName(), Notifier.describe(task.getException()));
        });
        job.set(task);
        jobs.execute(task);
        return task;
    }

    // ---------------------------------------------------------------- skip ablation

    /** The Fast-SCNN to ablate: an open pane with a skip knob, a bundled one, else the test model. */
    public Optional<Path> fastScnnModel() {
        // Other networks have a skip_gain too (SPSSNet): the ablation is Fast-SCNN's, by name.
        for (PaneViewModel p : panes) {
            String n = (p.name() + " " + p.model().path().getFileName()).toLowerCase(Locale.ROOT).replace("-", "");
            if (n.contains("fastscnn") && p.knobs().stream().anyMatch(k -> k.name().equals(SKIP_KNOB))) {
                return Optional.of(p.model().path());
            }
        }
        List<Path> bundled = org.segbench.app.AppOptions.onnxIn(root.resolve("assets/models")).stream()
                .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).contains("fastscnn")).toList();
        if (!bundled.isEmpty()) {
            return bundled.stream().filter(p -> p.getFileName().toString().contains("camvid")).findFirst()
                    .or(() -> Optional.of(bundled.get(0)));
        }
        Path tiny = root.resolve("engine/src/test/resources/models/tiny_fastscnn_cityscapes.onnx");
        return Files.isRegularFile(tiny) ? Optional.of(tiny) : Optional.empty();
    }

    /**
     * Fast-SCNN twice, skip gain 1 and 0: the second pane shows where they disagree, the table the
     * per-class IoU difference (with ground truth) or the agreement with gain 1 (without).
     */
    public void skipAblation() {
        Optional<Path> model = fastScnnModel();
        if (model.isEmpty()) {
            notifier.warn("Skip-connection ablation", "no Fast-SCNN model with a '" + SKIP_KNOB + "' knob found in assets/models");
            return;
        }
        skipAblation(model.get());
    }

    /** The same ablation on any model with a {@code skip_gain} knob (SPSSNet has one too). */
    public void skipAblation(Path file) {
        removeAllPanes();
        addModel(file, Map.of(SKIP_KNOB, 1f), a -> {
            a.nameProperty().set(a.name() + " · skip 1");
            addModel(file, Map.of(SKIP_KNOB, 0f), b -> {
                b.nameProperty().set(b.name().replace(" · skip 1", "") + " · skip 0");
                b.compareWithProperty().set(a);
                b.viewModeProperty().set(ViewMode.DISAGREEMENT);
                ablation = new int[] {a.id(), b.id()};
                reference.set(a); // used when there is no ground truth, or it does not fit Fast-SCNN's classes
                refreshLegend();
                rebuildTable();
                status.set("Skip ablation: right pane = where gain 0 differs from gain 1 (boundaries, small objects)");
            });
        });
    }

    /** Once a second from the view: drop indicators. */
    public void tick() { panes.forEach(PaneViewModel::tick); }

    public boolean isClosed() { return closed; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Task<?> running = job.get();
        if (running != null) running.cancel();
        panes.forEach(PaneViewModel::close);
        player.close();
        loader.shutdownNow();
        metrics.shutdownNow();
        jobs.shutdownNow();
    }

    private static ExecutorService daemonPool(String name, int n) {
        return Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
