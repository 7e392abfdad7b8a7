package org.segbench.app.main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import org.segbench.app.ablation.SkipAblationViewModel;
import org.segbench.app.confusion.ConfusionMatrixViewModel;
import org.segbench.app.evaluation.FolderEvaluationViewModel;
import org.segbench.app.export.GridRecording;
import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.jobs.BackgroundJob;
import org.segbench.app.legend.LegendViewModel;
import org.segbench.app.metrics.IouScoringViewModel;
import org.segbench.app.metrics.IouTableViewModel;
import org.segbench.app.models.ModelLoadingViewModel;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pace.PaneBarrier;
import org.segbench.app.pane.PaneResult;
import org.segbench.app.palette.ClassColors;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.prefs.RecentModels;
import org.segbench.app.ranking.FrameRankingViewModel;
import org.segbench.app.ranking.FrameRow;
import org.segbench.app.timeline.DisagreementTimelineViewModel;
import org.segbench.app.source.PlayerViewModel;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.viewport.Viewport;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Prediction;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.render.ViewMode;
import org.segbench.engine.source.ImageFiles;

/**
 * The workbench as a whole: the source, the panes (1-4 models on the same frame), the legend and
 * the ground truth, joined to the view-models that do the work: model loading, IoU scoring, folder
 * evaluation, the skip ablation and recording. Views bind to its properties; it never touches a
 * control. It owns the background threads and hands them, with the FX thread, to the others.
 */
public final class WorkbenchViewModel implements AutoCloseable, ViewContext {
    private final Path root;
    private final Notifier notifier;
    private final Viewport viewport = new Viewport();
    private final LegendViewModel legend = new LegendViewModel();
    private final PlayerViewModel player;
    private final ObservableList<PaneViewModel> panes = FXCollections.observableArrayList();
    private final ObjectProperty<GroundTruthIndex> groundTruth = new SimpleObjectProperty<>();
    private final ObjectProperty<PaneViewModel> reference = new SimpleObjectProperty<>();
    private final StringProperty status = new SimpleStringProperty("");
    private final ExecutorService loader = daemonPool("model-loader");
    private final ExecutorService metrics = daemonPool("metrics");
    private final ExecutorService jobs = daemonPool("jobs");
    private final ModelLoadingViewModel models;
    private final IouScoringViewModel scoring;
    private final FolderEvaluationViewModel evaluation;
    private final SkipAblationViewModel ablation;
    private final GridRecording recording;
    private final ConfusionMatrixViewModel confusion;
    private final DisagreementTimelineViewModel timeline;
    private final FrameRankingViewModel ranking;
    private final ClassColors classColors;
    private final PaneBarrier barrier;
    /** The panes as the player's thread sees them: it hands each frame over itself. */
    private volatile List<PaneViewModel> receiving = List.of();
    private final Workspace ws;
    private final String cudaReason = ProviderSupport.cudaUnavailableReason();
    private Path sourcePath;
    /** The files of an image source in play order (to find a ranked frame's index); null for video. */
    private volatile List<Path> sourceFiles;
    private int nextPaneId = 1;
    private volatile boolean closed;

    public WorkbenchViewModel(Path root, Notifier notifier, RecentModels recent) {
        this(root, notifier, recent, ClassColors.forUser());
    }

    /** @param classColors where the legend's class colours are remembered per model */
    public WorkbenchViewModel(Path root, Notifier notifier, RecentModels recent, ClassColors classColors) {
        this.root = root;
        this.classColors = classColors;
        this.notifier = notifier;
        this.ws = new Workspace(panes, groundTruth, reference, notifier, Platform::runLater, status::set);
        this.player = new PlayerViewModel(notifier, ws.fx());
        this.models = new ModelLoadingViewModel(ws, this::newPane, recent, loader);
        this.scoring = new IouScoringViewModel(ws, metrics);
        this.evaluation = new FolderEvaluationViewModel(ws, scoring, jobs);
        this.ablation = new SkipAblationViewModel(ws, root.resolve("assets/models"), models, scoring, this::removeAllPanes);
        this.recording = new GridRecording(ws, player, jobs);
        this.confusion = new ConfusionMatrixViewModel(ws, scoring);
        this.timeline = new DisagreementTimelineViewModel(ws, metrics, this::frameIndexOf);
        this.ranking = new FrameRankingViewModel(ws, scoring, timeline, this::showFrame);
        evaluation.setOnPredictions(timeline::record);
        legend.setOnRecolor((name, color) -> recolor(name, LegendViewModel.rgb(color)));
        this.barrier = new PaneBarrier(player);
        models.setOnReopened(this::rerun);
        player.setOnFrame(this::onFrame);
        player.setOnFrameRead(frame -> barrier.deliver(frame, receiving));
        panes.addListener((ListChangeListener<PaneViewModel>) c -> {
            receiving = List.copyOf(panes);
            while (c.next()) c.getAddedSubList().forEach(this::adopt);
        });
        groundTruth.addListener((o, a, b) -> panes.forEach(PaneViewModel::redraw));
        legend.revisionProperty().addListener(o -> panes.forEach(PaneViewModel::redraw));
        reference.addListener((o, a, b) -> {
            if (a != null) a.referenceProperty().set(false);
            if (b != null) b.referenceProperty().set(true);
        });
    }

    public Path root() { return root; }
    public Notifier notifier() { return notifier; }
    public Viewport viewport() { return viewport; }
    public LegendViewModel legend() { return legend; }
    public IouTableViewModel iou() { return scoring.table(); }
    public PlayerViewModel player() { return player; }
    public ObservableList<PaneViewModel> panes() { return panes; }
    public ObservableList<Path> recentModels() { return models.recentModels(); }
    public ObjectProperty<GroundTruthIndex> groundTruthProperty() { return groundTruth; }
    public ObjectProperty<PaneViewModel> referenceProperty() { return reference; }
    public ObjectProperty<BackgroundJob> jobProperty() { return evaluation.jobProperty(); }
    public StringProperty statusProperty() { return status; }
    public BooleanProperty loadingProperty() { return models.loadingProperty(); }
    public GridRecording recording() { return recording; }
    public ConfusionMatrixViewModel confusion() { return confusion; }
    public DisagreementTimelineViewModel timeline() { return timeline; }
    public FrameRankingViewModel ranking() { return ranking; }
    public String cudaReason() { return cudaReason; }
    public Optional<Path> sourcePath() { return Optional.ofNullable(sourcePath); }

    // ---------------------------------------------------------------- sources

    public void openSource(Path path) {
        sourcePath = path;
        timeline.reset();
        List<Path> withoutLabels = framesWithoutLabels(path);
        sourceFiles = withoutLabels != null ? withoutLabels : imagesOf(path);
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
    private static List<Path> framesWithoutLabels(Path path) {
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
        timeline.reset();
        sourceFiles = List.copyOf(files);
        player.openImages(files);
        if (groundTruth.get() == null && !files.isEmpty()) {
            GroundTruthIndex.besideSource(files.get(0)).ifPresent(gt -> attachGroundTruth(gt, true));
        }
    }

    public void openWebcam(int device) {
        sourcePath = null;
        timeline.reset();
        sourceFiles = null;
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

    /** A folder's images or an image in the player's order; null for a video (its frames have indices). */
    private static List<Path> imagesOf(Path path) {
        try {
            if (Files.isDirectory(path)) return ImageFiles.listImages(path);
        } catch (SegbenchException e) {
            return null;
        }
        return ImageFiles.isImage(path) ? List.of(path) : null;
    }

    /** The index of a frame key (an image file) in the source playing; -1 when it is not there. */
    public long frameIndexOf(String key) {
        List<Path> files = sourceFiles;
        if (files == null) return -1;
        Path wanted = Path.of(key).toAbsolutePath().normalize();
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).toAbsolutePath().normalize().equals(wanted)) return i;
        }
        return -1;
    }

    /** Shows a ranked frame: the player pauses there. */
    public void showFrame(FrameRow row) {
        long index = sourceFiles != null ? frameIndexOf(row.key()) : row.index();
        if (index < 0) {
            notifier.warn("Frames", row.name() + " is not in the source playing now");
            return;
        }
        player.pause();
        player.seek(index);
    }

    /**
     * A new frame on the FX thread. The panes got it on the player's thread (see
     * {@link #receiving}); a pane added in between, which neither that delivery nor its own start
     * (the player's current frame, still the one before) reached, gets it here.
     */
    private void onFrame(SourceFrame frame) {
        List<PaneViewModel> missed = panes.stream().filter(p -> !p.wasGiven(frame)).toList();
        if (!missed.isEmpty()) barrier.deliver(frame, missed);
        timeline.onSourceFrame(frame);
        recording.onFrame(frame);
    }

    // ---------------------------------------------------------------- panes

    public void addModel(Path file) { models.addModel(file, Map.of()); }

    private PaneViewModel newPane(SegmentationModel model) {
        PaneViewModel pane = new PaneViewModel(nextPaneId++, model, notifier, ws.fx(), this);
        pane.setOnPreset(preset -> models.switchNormalisation(pane, preset));
        return pane;
    }

    /** A pane just added: scored, re-run on knob changes, given the current frame. */
    private void adopt(PaneViewModel pane) {
        pane.setOnResult((p, r) -> {
            scoring.onPaneResult(p, r);
            timeline.onPaneResult(p, r);
        });
        applySavedColors(pane);
        barrier.attach(pane);
        for (var kv : pane.knobs()) kv.valueProperty().addListener((o, a, b) -> rerun(pane));
        // Numbers from the start: without ground truth, the first pane is the reference
        // until the user picks another.
        if (groundTruth.get() == null && reference.get() == null && panes.size() == 2) reference.set(panes.get(0));
        refreshLegend();
        SourceFrame f = player.current();
        if (f != null && !pane.wasGiven(f)) pane.submit(f);
    }

    public void removePane(PaneViewModel pane) {
        panes.remove(pane);
        for (PaneViewModel p : panes) if (p.compareWithProperty().get() == pane) p.compareWithProperty().set(null);
        if (reference.get() == pane) reference.set(null);
        scoring.forget(pane);
        barrier.forget(pane);
        pane.close();
        refreshLegend();
    }

    public void removeAllPanes() {
        for (PaneViewModel p : List.copyOf(panes)) removePane(p);
    }

    /** Knob changed or model re-opened: run the current frame again at once, and restart this pane's IoU. */
    private void rerun(PaneViewModel pane) {
        scoring.reset(pane);
        SourceFrame f = player.current();
        if (f != null) pane.submit(f);  // the same frame again, on purpose
    }

    public void switchProvider(PaneViewModel pane, String provider) { models.switchProvider(pane, provider); }

    public void switchInputSize(PaneViewModel pane, Size size) { models.switchInputSize(pane, size); }

    /** The colours the user chose for this model's classes before. */
    private void applySavedColors(PaneViewModel pane) {
        Map<String, Integer> saved = classColors.load(pane.model().path());
        LabelSet l = pane.labels();
        for (int c = 0; c < l.size(); c++) {
            Integer rgb = saved.get(l.name(c));
            if (rgb != null) pane.setClassColor(c, rgb);
        }
    }

    /** A class drawn in another colour: in every open pane with that class, and remembered for each model. */
    public void recolor(String className, int rgb) {
        for (PaneViewModel p : panes) {
            int c = p.labels().classes().indexOf(className);
            if (c < 0) continue;
            p.setClassColor(c, rgb);
            classColors.save(p.model().path(), className, rgb);
        }
    }

    private void refreshLegend() {
        List<List<LegendViewModel.ClassColor>> sets = new ArrayList<>();
        for (PaneViewModel p : panes) {
            List<LegendViewModel.ClassColor> set = new ArrayList<>();
            LabelSet l = p.shownLabels();
            for (int c = 0; c < l.size(); c++) set.add(new LegendViewModel.ClassColor(l.name(c), LegendViewModel.color(l.rgb(c))));
            sets.add(set);
        }
        legend.setLabelSets(sets);
    }

    // ---------------------------------------------------------------- hover

    /** Class and score under image pixel (x, y) for every pane; (-1, -1) clears. */
    public void hoverAt(int x, int y) {
        for (PaneViewModel p : panes) {
            PaneResult r = p.result();
            if (r == null || x < 0 || y < 0 || x >= r.prediction().width() || y >= r.prediction().height()) {
                // the disagreement view keeps its "n% differ" readout
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
            String text = "Ground truth: " + gt.describe();
            if (automatic) status.set(text);
            else notifier.info("Ground truth", text);
            player.redeliver();
        } catch (SegbenchException e) {
            notifier.error("Ground truth " + path.getFileName(), e.problem());
        }
    }

    public void detachGroundTruth() { groundTruth.set(null); }

    /** Ground truth of a frame for drawing, when attached and found; the IoU scoring reports bad files. */
    @Override
    public Optional<LabelMap> groundTruthFor(SourceFrame frame) {
        GroundTruthIndex gt = groundTruth.get();
        return gt == null ? Optional.empty() : gt.readIfReadable(frame);
    }

    @Override
    public Set<String> hiddenClasses() { return legend.hiddenNames(); }

    public void resetIou() { scoring.reset(); }

    /** True when IoU is measured against the reference pane (no ground truth, or none that fits). */
    public boolean referenceScoring() { return scoring.referenceScoring(); }

    // ---------------------------------------------------------------- folder evaluation, ablation

    /** Every pane's model over the source's whole folder with ground truth; null when it cannot start. */
    public BackgroundJob evaluateFolder() {
        if (groundTruth.get() != null && sourcePath != null && !panes.isEmpty()) player.pause();
        return evaluation.evaluate(sourcePath, groundTruth.get(), panes);
    }

    /** Fast-SCNN with skip gain 1 and 0 (the bundled one, or an open pane's). */
    public void skipAblation() { ablation.run(); }

    /** The same ablation on any model with a {@code skip_gain} knob. */
    public void skipAblation(Path file) { ablation.run(file); }

    /** Once a second from the view: drop indicators. */
    public void tick() { panes.forEach(PaneViewModel::tick); }

    public boolean isClosed() { return closed; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        recording.stop();
        evaluation.cancel();
        scoring.close();
        panes.forEach(PaneViewModel::close);
        player.close();
        loader.shutdownNow();
        metrics.shutdownNow();
        jobs.shutdown(); // lets a recording finish its file
    }

    /**
     * Closes, then waits (up to {@code millis} in all) until every pane's worker has finished its
     * frame and closed its model: the way out before the JVM exits.
     */
    public void closeAndWait(long millis) {
        close();
        long deadline = System.currentTimeMillis() + millis;
        try {
            for (PaneViewModel p : panes) {
                p.awaitClosed(Math.max(1, deadline - System.currentTimeMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutorService daemonPool(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
