package org.segbench.app.main;

import java.io.File;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.Duration;

import org.segbench.app.confusion.ConfusionMatrixView;
import org.segbench.app.export.Snapshots;
import org.segbench.app.fps.FpsChartView;
import org.segbench.app.legend.LegendView;
import org.segbench.app.metrics.IouTableView;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneNameCell;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.ranking.FrameRankingView;
import org.segbench.app.source.TransportBar;
import org.segbench.app.timeline.DisagreementStrip;

/**
 * The window: menus and tool bar on top, the pane grid in the middle, legend / IoU / FPS on the
 * right, transport and status at the bottom. Actions call the view-model; what stays here is what
 * needs the window: file dialogs, the PNG snapshot of what is on screen, keys, drag and drop.
 */
public final class MainWindow extends BorderPane {
    private final WorkbenchViewModel vm;
    private final PaneGrid grid;
    private final SplitPane body;
    private final IouTableView iouView;
    private final ConfusionMatrixView confusionView;
    private final FrameRankingView rankingView;
    private final DisagreementStrip timelineStrip;
    private final TabPane sideTabs = new TabPane();
    private final FpsChartView fpsChart = new FpsChartView();
    private final Label status = new Label();
    private final ToggleButton record = new ToggleButton("● Record MP4");
    private FileDialogs dialogs;
    private final long started = System.nanoTime();
    /** The once-a-second refresh; a running Timeline is held by the FX pulse, so it stops with the workbench. */
    private final Timeline ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));

    public MainWindow(WorkbenchViewModel vm) {
        this.vm = vm;
        getStyleClass().add("main-window");
        grid = new PaneGrid(vm);
        iouView = new IouTableView(vm.iou());
        iouView.setId("iou-table");

        confusionView = new ConfusionMatrixView(vm.confusion(), vm.panes());
        rankingView = new FrameRankingView(vm.ranking(), vm.panes());
        Tab iouTab = new Tab("IoU", iouView);
        Tab confusionTab = new Tab("Confusion", confusionView);
        Tab framesTab = new Tab("Frames", rankingView);
        iouTab.setId("tab-iou");
        confusionTab.setId("tab-confusion");
        framesTab.setId("tab-frames");
        sideTabs.getTabs().addAll(iouTab, confusionTab, framesTab);
        sideTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        sideTabs.getStyleClass().add("side-tabs");
        // the ranked list is rebuilt only while someone looks at it (a playing video changes it often)
        vm.ranking().activeProperty().bind(framesTab.selectedProperty());
        VBox side = new VBox(sideHeader(), new LegendView(vm.legend()), sideTabs, fpsChart);
        side.getStyleClass().add("side-panel");
        VBox.setVgrow(sideTabs, Priority.ALWAYS);
        side.setMinWidth(340);
        side.setPrefWidth(420);
        body = new SplitPane(grid, side);
        body.setDividerPositions(0.70);
        SplitPane.setResizableWithParent(side, false);

        setTop(new VBox(menus(), toolBar()));
        setCenter(body);
        TransportBar transport = new TransportBar(vm.player());
        timelineStrip = new DisagreementStrip(vm.timeline(), vm.player().frameCountProperty(), vm.player().currentProperty(),
                vm.player()::seek);
        transport.putUnderSeek(timelineStrip);
        setBottom(new VBox(transport, statusBar()));
        installDragAndDrop();

        // Once a second: FPS chart points and "dropping frames" indicators.
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();
        vm.notifier().addListener(m -> status.setText(m.title() + ": " + m.text()));
        vm.statusProperty().addListener((o, a, b) -> {
            if (!b.isEmpty()) status.setText(b);
        });
    }

    public PaneGrid grid() { return grid; }
    public IouTableView iouView() { return iouView; }
    public ConfusionMatrixView confusionView() { return confusionView; }
    public FrameRankingView rankingView() { return rankingView; }
    public DisagreementStrip timelineStrip() { return timelineStrip; }

    /** Shows a tab of the side panel: 0 IoU, 1 confusion matrix, 2 ranked frames. */
    public void showSideTab(int index) { sideTabs.getSelectionModel().select(index); }
    public SplitPane body() { return body; }

    /** Needs the window for dialogs; called once the scene is shown. */
    public void attach(Window window) {
        dialogs = new FileDialogs(window, vm.root());
        vm.notifier().setOwner(window);
    }

    private Region sideHeader() {
        Label title = new Label("Numbers");
        title.getStyleClass().add("section-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        ComboBox<PaneViewModel> ref = PaneNameCell.picker(vm.panes());
        ref.setPromptText("reference pane (no GT)");
        ref.valueProperty().bindBidirectional(vm.referenceProperty());
        ref.setTooltip(new Tooltip("Without ground truth, IoU is measured against this pane"));
        ref.setPrefWidth(200);
        ref.disableProperty().bind(vm.groundTruthProperty().isNotNull());
        Button reset = new Button("Reset IoU");
        reset.getStyleClass().add("small-button");
        reset.setMinWidth(Region.USE_PREF_SIZE);
        reset.setOnAction(e -> vm.resetIou());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox h = new HBox(6, title, spacer, ref, reset);
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    private MenuBar menus() {
        Menu file = new Menu("_File");
        file.getItems().addAll(
                item("Open image(s)…", "Shortcut+O", this::openImages),
                item("Open folder…", "Shortcut+Shift+O", this::openFolder),
                item("Open video…", null, this::openVideo),
                item("Open webcam", null, () -> vm.openWebcam(0)),
                new SeparatorMenuItem(),
                item("Save view as PNG…", "Shortcut+S", this::savePng),
                item("Export IoU table as CSV…", "Shortcut+E", this::exportCsv),
                new SeparatorMenuItem(),
                item("Quit", "Shortcut+Q", () -> getScene().getWindow().hide()));
        Menu models = new Menu("_Models");
        Menu recent = new Menu("Recent models");
        Runnable fillRecent = () -> {
            recent.getItems().clear();
            for (Path p : vm.recentModels()) recent.getItems().add(item(p.getFileName().toString(), null, () -> vm.addModel(p)));
            if (recent.getItems().isEmpty()) {
                MenuItem none = new MenuItem("(none yet)");
                none.setDisable(true);
                recent.getItems().add(none);
            }
        };
        vm.recentModels().addListener((ListChangeListener<Path>) c -> fillRecent.run());
        fillRecent.run();
        models.getItems().addAll(
                item("Add model…", "Shortcut+M", this::addModel),
                recent,
                item("Remove all models", null, vm::removeAllPanes),
                new SeparatorMenuItem(),
                item("Skip-connection ablation (Fast-SCNN gain 1 vs 0)", "Shortcut+K", vm::skipAblation));
        Menu numbers = new Menu("_Numbers");
        numbers.getItems().addAll(
                item("Attach ground-truth folder…", null, this::attachGtFolder),
                item("Attach ground-truth file…", null, this::attachGtFile),
                item("Detach ground truth", null, vm::detachGroundTruth),
                new SeparatorMenuItem(),
                item("Evaluate whole folder", null, this::evaluate),
                item("Reset IoU", null, vm::resetIou));
        Menu view = new Menu("_View");
        CheckMenuItem loop = new CheckMenuItem("Loop");
        loop.selectedProperty().bindBidirectional(vm.player().loopProperty());
        view.getItems().addAll(
                item("Fit", "Shortcut+0", this::fit),
                item("1:1", "Shortcut+1", this::oneToOne),
                new SeparatorMenuItem(),
                // Keys (Space, Left, Right) are handled by the scene, not as accelerators, so that
                // sliders and lists keep their own arrow keys.
                item("Play / pause\tSpace", null, vm.player()::togglePlay),
                item("Step forward\tRight", null, vm.player()::stepForward),
                item("Step back\tLeft", null, vm.player()::stepBack),
                loop);
        return new MenuBar(file, models, numbers, view);
    }

    private ToolBar toolBar() {
        Button open = toolButton("Open…", "Open an image, several images or a video", this::openImages);
        Button folder = toolButton("Folder…", "Open a folder of images", this::openFolder);
        Button add = toolButton("+ Model", "Add an ONNX model as a new pane (up to 4)", this::addModel);
        add.getStyleClass().add("accent-button");
        add.setId("add-model");
        Button gt = toolButton("Ground truth…", "Attach a CamVid/Cityscapes label folder", this::attachGtFolder);
        Button fit = toolButton("Fit", "Fit the frame in every pane (double-click a pane)", this::fit);
        Button one = toolButton("1:1", "One image pixel per screen pixel", this::oneToOne);
        Button ablation = toolButton("Skip ablation", "Fast-SCNN with skip gain 1 and 0, disagreement and per-class IoU difference", vm::skipAblation);
        ablation.setId("ablation");
        Button eval = toolButton("Evaluate folder", "Run every model over the whole image folder with ground truth", this::evaluate);
        Button png = toolButton("Save PNG", "Save the composed view", this::savePng);
        Button csv = toolButton("Export CSV", "Export the IoU table", this::exportCsv);
        record.setTooltip(new Tooltip("Record the side-by-side panes to MP4"));
        record.setOnAction(e -> toggleRecording());
        vm.recording().recordingProperty().addListener((o, was, now) -> {
            record.setSelected(now);
            record.setText(now ? "■ Stop recording" : "● Record MP4");
        });

        ProgressBar progress = new ProgressBar();
        progress.setPrefWidth(140);
        Label jobLabel = new Label();
        jobLabel.getStyleClass().add("caption");
        Button cancel = new Button("Cancel");
        cancel.getStyleClass().add("small-button");
        HBox jobBox = new HBox(6, jobLabel, progress, cancel);
        jobBox.setAlignment(Pos.CENTER_LEFT);
        jobBox.visibleProperty().bind(vm.jobProperty().isNotNull());
        jobBox.managedProperty().bind(jobBox.visibleProperty());
        vm.jobProperty().addListener((o, a, t) -> {
            progress.progressProperty().unbind();
            jobLabel.textProperty().unbind();
            if (t != null) {
                progress.progressProperty().bind(t.progressProperty());
                jobLabel.textProperty().bind(Bindings.concat(t.titleProperty(), "  ", t.messageProperty()));
                cancel.setOnAction(e -> t.cancel());
            }
        });
        ProgressBar loading = new ProgressBar();
        loading.setPrefWidth(60);
        loading.visibleProperty().bind(vm.loadingProperty());
        loading.managedProperty().bind(loading.visibleProperty());
        loading.setTooltip(new Tooltip("Loading a model"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(open, folder, add, gt, new Separator(Orientation.VERTICAL), fit, one,
                new Separator(Orientation.VERTICAL), ablation, eval, new Separator(Orientation.VERTICAL),
                png, csv, record, spacer, loading, jobBox);
    }

    private HBox statusBar() {
        Label source = new Label();
        source.textProperty().bind(Bindings.concat("Source: ", vm.player().descriptionProperty()));
        Label gt = new Label();
        gt.textProperty().bind(Bindings.createStringBinding(
                () -> vm.groundTruthProperty().get() == null ? "GT: none" : "GT: " + vm.groundTruthProperty().get().describe(),
                vm.groundTruthProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        status.setId("status");
        HBox bar = new HBox(source, gt, spacer, status);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    // ------------------------------------------------------------ actions

    private void openImages() {
        List<Path> files = dialogs.openFiles("Open images or a video", "Images and videos",
                "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.tif", "*.tiff", "*.webp", "*.mp4", "*.avi", "*.mkv", "*.mov", "*.webm");
        if (files.size() == 1) vm.openSource(files.get(0));
        else if (!files.isEmpty()) vm.openImages(files);
    }

    private void openVideo() {
        dialogs.openFile("Open video", "Videos", "*.mp4", "*.avi", "*.mkv", "*.mov", "*.webm", "*.m4v", "*.mpg")
                .ifPresent(vm::openSource);
    }

    private void openFolder() { dialogs.openFolder("Open image folder").ifPresent(vm::openSource); }

    private void addModel() {
        dialogs.openFiles("Add ONNX models", "ONNX models", "*.onnx").forEach(vm::addModel);
    }

    private void attachGtFolder() { dialogs.openFolder("Ground-truth folder (CamVid or Cityscapes)").ifPresent(vm::attachGroundTruth); }

    private void attachGtFile() {
        dialogs.openFile("Ground-truth label file", "Label PNGs", "*.png").ifPresent(vm::attachGroundTruth);
    }

    private void evaluate() { vm.evaluateFolder(); }

    /** Every pane shares one viewport: fitting the first fits them all. */
    public void fit() {
        grid.firstView().ifPresent(v -> v.canvas().fit());
    }

    private void oneToOne() {
        grid.firstView().ifPresent(v -> v.canvas().oneToOne());
    }

    private String stamp() { return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")); }

    private void savePng() {
        dialogs.saveFile("Save view as PNG", "segbench-" + stamp() + ".png", "PNG", "*.png").ifPresent(this::savePng);
    }

    /** The composed view: panes, legend and numbers as the user sees them. */
    public void savePng(Path file) {
        try {
            Snapshots.savePng(Snapshots.take(body), file);
            vm.notifier().info("Saved", file.getFileName().toString());
        } catch (Exception e) {
            vm.notifier().error(file.getFileName().toString(), "cannot write PNG: " + Notifier.describe(e));
        }
    }

    private void exportCsv() {
        dialogs.saveFile("Export IoU table", "iou-" + stamp() + ".csv", "CSV", "*.csv").ifPresent(f -> {
            try {
                vm.iou().exportCsv(f);
                vm.notifier().info("Exported", f.getFileName().toString());
            } catch (Exception e) {
                vm.notifier().error(f.getFileName().toString(), "cannot write CSV: " + Notifier.describe(e));
            }
        });
    }

    private void toggleRecording() {
        if (vm.recording().recordingProperty().get()) {
            vm.recording().stop();
            return;
        }
        Optional<Path> f = dialogs.saveFile("Record side-by-side video", "segbench-" + stamp() + ".mp4", "MP4", "*.mp4");
        record.setSelected(f.isPresent() && vm.recording().start(f.get()));
    }

    private void tick() {
        if (vm.isClosed()) {
            ticker.stop(); // else this window, its panes and their frames outlive the workbench
            return;
        }
        vm.tick();
        double now = (System.nanoTime() - started) / 1e9;
        Set<String> keep = new HashSet<>();
        for (PaneViewModel p : vm.panes()) {
            String name = p.nameWithId();
            keep.add(name);
            double fps = p.fpsProperty().get();
            if (!Double.isNaN(fps)) fpsChart.add(name, now, fps);
        }
        fpsChart.refresh(now, keep);
    }

    private void installDragAndDrop() {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        setOnDragEntered(e -> {
            if (e.getDragboard().hasFiles()) grid.getStyleClass().add("drop-target");
        });
        setOnDragExited(e -> grid.getStyleClass().remove("drop-target"));
        setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) vm.drop(e.getDragboard().getFiles().stream().map(File::toPath).toList());
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** Space / arrows for the transport when no text field has focus. */
    public void installKeys() {
        getScene().addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            Object t = e.getTarget();
            if (t instanceof TextInputControl || t instanceof Slider || t instanceof ComboBoxBase || t instanceof ListView) return;
            switch (e.getCode()) {
                case SPACE -> vm.player().togglePlay();
                case RIGHT -> vm.player().stepForward();
                case LEFT -> vm.player().stepBack();
                default -> { return; }
            }
            e.consume();
        });
    }

    private static MenuItem item(String text, String accel, Runnable action) {
        MenuItem i = new MenuItem(text);
        if (accel != null) i.setAccelerator(KeyCombination.keyCombination(accel));
        i.setOnAction(e -> action.run());
        return i;
    }

    private static Button toolButton(String text, String tip, Runnable action) {
        Button b = new Button(text);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }
}
