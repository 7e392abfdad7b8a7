package org.segbench.app.pane;

import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import org.segbench.app.throttle.RefreshThrottle;
import org.segbench.app.viewport.ImageCanvas;
import org.segbench.app.viewport.Viewport;
import org.segbench.engine.Size;
import org.segbench.engine.Timings;
import org.segbench.engine.render.ViewMode;
import org.segbench.engine.NormalisationPreset;

/**
 * One model pane: header (name, provider, input size, view mode, alpha), the synchronised canvas,
 * knob sliders, and a footer with FPS, latency split, dropped frames and the hover readout. It only
 * binds to its {@link PaneViewModel} and shows its picture; gestures go back to the view-model.
 */
public final class PaneView extends BorderPane {
    private static final PseudoClass REFERENCE = PseudoClass.getPseudoClass("reference");

    private final PaneViewModel vm;
    private final ImageCanvas canvas;
    private final Label emptyHint = new Label("waiting for the first prediction…");
    private final Label fps = stat();
    private final Label lat = stat();
    private final Label frame = stat();
    private final Label drops = new Label();
    private final RefreshThrottle numbers = new RefreshThrottle(Platform::runLater, RefreshThrottle.DISPLAY, this::refreshNumbers);

    /**
     * @param others     the panes it can compare with (disagreement view)
     * @param providers  switches this pane to another execution provider
     * @param sizes      switches this pane to another network input size (null: the frame's)
     * @param cudaReason empty when CUDA can be chosen, else why not
     */
    public PaneView(PaneViewModel vm, Viewport viewport, ObservableList<PaneViewModel> others,
                    BiConsumer<PaneViewModel, String> providers, String cudaReason,
                    BiConsumer<PaneViewModel, Size> sizes, Runnable remove) {
        this.vm = vm;
        this.canvas = new ImageCanvas(viewport);
        getStyleClass().add("model-pane");
        setId("pane-" + vm.id());

        // Header
        Label title = new Label();
        title.textProperty().bind(vm.nameProperty());
        title.getStyleClass().add("pane-title");
        title.setMinWidth(60);
        title.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(title, Priority.SOMETIMES);
        Tooltip.install(title, new Tooltip(vm.model().path().toString()));
        Label providerBadge = badge();
        providerBadge.textProperty().bind(vm.providerProperty());
        vm.providerProperty().addListener((o, a, b) -> styleProvider(providerBadge, b));
        styleProvider(providerBadge, vm.providerProperty().get());
        Tooltip providerTip = new Tooltip();
        providerTip.textProperty().bind(vm.providerNoteProperty());
        providerBadge.setTooltip(providerTip);
        Label sizeBadge = badge();
        sizeBadge.textProperty().bind(vm.inputSizeProperty());
        Tooltip detailsTip = new Tooltip();
        detailsTip.textProperty().bind(vm.detailsProperty());
        detailsTip.setWrapText(true);  // a bundled model's training note is a paragraph
        detailsTip.setMaxWidth(560);
        sizeBadge.setTooltip(detailsTip);
        sizeBadge.setMinWidth(40);

        ComboBox<ViewMode> mode = new ComboBox<>(FXCollections.observableArrayList(ViewMode.values()));
        mode.valueProperty().bindBidirectional(vm.viewModeProperty());
        mode.setId("mode-" + vm.id());
        mode.setTooltip(new Tooltip("What this pane shows"));

        ComboBox<PaneViewModel> compare = PaneNameCell.picker(others.filtered(p -> p != vm));
        compare.valueProperty().bindBidirectional(vm.compareWithProperty());
        compare.setPromptText("compare with…");
        compare.visibleProperty().bind(vm.viewModeProperty().isEqualTo(ViewMode.DISAGREEMENT));
        compare.managedProperty().bind(compare.visibleProperty());
        compare.setMaxWidth(140);

        Slider alpha = new Slider(0, 1, vm.alphaProperty().get());
        alpha.valueProperty().bindBidirectional(vm.alphaProperty());
        alpha.setPrefWidth(80);
        alpha.setTooltip(new Tooltip("Overlay opacity"));
        alpha.visibleProperty().bind(Bindings.createBooleanBinding(() -> vm.viewModeProperty().get().blends(),
                vm.viewModeProperty()));
        alpha.managedProperty().bind(alpha.visibleProperty());

        MenuButton providerMenu = new MenuButton("Device");
        providerMenu.setTooltip(new Tooltip("Execution provider and network input size"));
        ToggleGroup group = new ToggleGroup();
        RadioMenuItem cpu = new RadioMenuItem("Run on CPU");
        RadioMenuItem cuda = new RadioMenuItem(cudaReason.isEmpty() ? "Run on CUDA" : "Run on CUDA — unavailable: " + cudaReason);
        cpu.setToggleGroup(group);
        cuda.setToggleGroup(group);
        cuda.setDisable(!cudaReason.isEmpty());
        (vm.providerName().equals("CUDA") ? cuda : cpu).setSelected(true);
        cpu.setOnAction(e -> providers.accept(vm, "CPU"));
        cuda.setOnAction(e -> providers.accept(vm, "CUDA"));
        providerMenu.getItems().addAll(cpu, cuda, new SeparatorMenuItem());
        providerMenu.getItems().addAll(inputSizeItems(vm, sizes));

        Button close = new Button("×");
        close.getStyleClass().add("small-button");
        close.setTooltip(new Tooltip("Remove this model"));
        close.setOnAction(e -> remove.run());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        providerBadge.setMinWidth(Region.USE_PREF_SIZE);
        sizeBadge.setMinWidth(Region.USE_PREF_SIZE);
        HBox titleRow = new HBox(6, title, spacer, providerBadge, sizeBadge, close);
        titleRow.setAlignment(Pos.CENTER_LEFT);
        Label alphaLabel = new Label("α");
        alphaLabel.getStyleClass().add("muted");
        alphaLabel.visibleProperty().bind(alpha.visibleProperty());
        alphaLabel.managedProperty().bind(alpha.visibleProperty());
        mode.setMinWidth(Region.USE_PREF_SIZE);
        providerMenu.setMinWidth(Region.USE_PREF_SIZE);
        Region spacer2 = new Region();
        HBox.setHgrow(spacer2, Priority.ALWAYS);
        HBox controlRow = new HBox(6, mode, compare, alphaLabel, alpha, spacer2, providerMenu);
        controlRow.setAlignment(Pos.CENTER_LEFT);
        VBox header = new VBox(4, titleRow, controlRow, normalisationBanner());
        header.getStyleClass().add("pane-header");

        // Knobs
        VBox knobBox = new VBox();
        vm.knobs().addListener((ListChangeListener<KnobViewModel>) c -> buildKnobs(knobBox));
        buildKnobs(knobBox);

        // Footer: FPS, stage times, frame number and drops change with every result; they are
        // refreshed a few times a second (what the eye reads), not per frame.
        fps.setId("fps-" + vm.id());
        lat.setTooltip(new Tooltip("moving average: preprocess / inference / postprocess, ms"));
        drops.getStyleClass().add("pane-warn");
        drops.visibleProperty().bind(vm.droppingNowProperty());
        drops.managedProperty().bind(drops.visibleProperty());
        drops.setTooltip(new Tooltip("The model is slower than the source: only the latest frame is run."));
        InvalidationListener numbersChanged = o -> numbers.request();
        vm.fpsProperty().addListener(numbersChanged);
        vm.latencyProperty().addListener(numbersChanged);
        vm.resultProperty().addListener(numbersChanged);
        vm.droppedProperty().addListener(numbersChanged);
        refreshNumbers();
        Label hover = stat();
        hover.getStyleClass().add("hover-readout");
        hover.textProperty().bind(vm.hoverProperty());
        hover.setId("hover-" + vm.id());
        Label error = new Label();
        error.getStyleClass().add("pane-error");
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        Region footSpacer = new Region();
        HBox.setHgrow(footSpacer, Priority.ALWAYS);
        for (Label l : new Label[] {fps, lat, frame}) l.setMinWidth(Region.USE_PREF_SIZE);
        HBox footer = new HBox(fps, lat, drops, error, footSpacer, hover, frame);
        footer.getStyleClass().add("pane-footer");
        footer.setAlignment(Pos.CENTER_LEFT);

        emptyHint.getStyleClass().add("empty-hint");
        StackPane center = new StackPane(canvas, emptyHint);
        emptyHint.visibleProperty().bind(vm.resultProperty().isNull().and(vm.errorProperty().isEmpty()));
        emptyHint.setMouseTransparent(true);

        setTop(header);
        setCenter(center);
        setBottom(new VBox(knobBox, footer));

        vm.pictureProperty().addListener((o, a, b) -> show(b));
        show(vm.pictureProperty().get());
    }

    /** Gold frame: IoU of the other panes is measured against this one. */
    public void showAsReference(boolean on) { pseudoClassStateChanged(REFERENCE, on); }

    public ImageCanvas canvas() { return canvas; }

    private void buildKnobs(VBox box) {
        box.getChildren().clear();
        for (KnobViewModel k : vm.knobs()) {
            Label name = new Label(k.name());
            name.getStyleClass().add("knob-name");
            Slider s = new Slider(k.min(), k.max(), k.valueProperty().get());
            s.setId("knob-" + vm.id() + "-" + k.name());
            // Re-run only when the user lets go (or on a click/keyboard step), not on every pixel of a drag.
            s.valueChangingProperty().addListener((o, was, now) -> {
                if (!now) k.valueProperty().set(s.getValue());
            });
            s.valueProperty().addListener((o, a, b) -> {
                if (!s.isValueChanging()) k.valueProperty().set(b.doubleValue());
            });
            k.valueProperty().addListener((o, a, b) -> s.setValue(b.doubleValue()));
            HBox.setHgrow(s, Priority.ALWAYS);
            Label value = new Label();
            value.getStyleClass().add("pane-stat");
            value.textProperty().bind(Bindings.createStringBinding(
                    () -> String.format(Locale.ROOT, "%.2f", s.getValue()), s.valueProperty()));
            value.setMinWidth(36);
            Button reset = new Button("reset");
            reset.getStyleClass().add("small-button");
            reset.setOnAction(e -> k.reset());
            reset.setTooltip(new Tooltip("Back to the model's default, " + k.defaultValue()));
            HBox row = new HBox(name, s, value, reset);
            row.getStyleClass().add("knob-row");
            box.getChildren().add(row);
        }
    }

    /**
     * Puts the view-model's picture on the canvas, every result; the pixels are drawn by the
     * view-model and copied into the canvas's one image.
     */
    private void show(PanePicture p) {
        if (p == null) {
            canvas.setImage(null);
            return;
        }
        canvas.setPixels(p.argb(), p.width(), p.height());
    }

    /** The footer's numbers from the view-model's latest; a label given its own text again does nothing. */
    private void refreshNumbers() {
        double f = vm.fpsProperty().get();
        fps.setText(Double.isNaN(f) ? "– FPS" : String.format(Locale.ROOT, "%.1f FPS", f));
        lat.setText(latencyText(vm.latencyProperty().get()));
        PaneResult r = vm.result();
        frame.setText(r == null ? "" : "#" + r.frame().index());
        drops.setText("⚠ dropping frames: " + vm.droppedProperty().get());
    }

    private static String latencyText(Timings t) {
        if (t == null) return "";
        return String.format(Locale.ROOT, "%.0f/%.0f/%.0f ms", t.preprocessMs(), t.inferenceMs(), t.postprocessMs());
    }

    /**
     * "no metadata: ImageNet normalisation assumed, change ▾": shown only while the normalisation
     * is a guess, so a wrong one cannot go unnoticed; the menu re-opens the model with a preset.
     */
    private HBox normalisationBanner() {
        Label text = new Label();
        text.textProperty().bind(vm.normalisationNoteProperty());
        MenuButton change = new MenuButton("change");
        change.setId("preset-" + vm.id());
        for (NormalisationPreset p : NormalisationPreset.values()) {
            MenuItem item = new MenuItem(p.key() + "  (mean " + Arrays.toString(p.mean())
                    + ", std " + Arrays.toString(p.std()) + ")");
            item.setOnAction(e -> vm.choosePreset(p));
            change.getItems().add(item);
        }
        HBox banner = new HBox(6, new Label("⚠"), text, change);
        banner.getStyleClass().add("pane-banner");
        banner.setAlignment(Pos.CENTER_LEFT);
        banner.setId("normalisation-banner-" + vm.id());
        banner.visibleProperty().bind(vm.normalisationNoteProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());
        Tooltip.install(banner, new Tooltip("The model carries no normalisation: pick how its input is scaled"));
        return banner;
    }

    private static Label badge() {
        Label l = new Label();
        l.getStyleClass().add("badge");
        return l;
    }

    private static Label stat() {
        Label l = new Label();
        l.getStyleClass().add("pane-stat");
        return l;
    }

    /**
     * The network input sizes a pane can run at: the frame's own (rounded to 32, the default for
     * dynamic models), the size the model was trained at (its metadata), and the papers' sizes.
     * A fixed-size model offers nothing to choose.
     */
    private static List<MenuItem> inputSizeItems(PaneViewModel vm, BiConsumer<PaneViewModel, Size> sizes) {
        var m = vm.model();
        if (m.fixedInputSize().isPresent()) {
            MenuItem fixed = new MenuItem("Input size fixed by the model: " + m.fixedInputSize().get());
            fixed.setDisable(true);
            return List.of(fixed);
        }
        Optional<Size> trained = m.metadata().inputSize();
        List<Size> choices = new ArrayList<>();
        trained.ifPresent(choices::add);
        for (String s : List.of("360x480", "512x1024", "720x960", "1024x2048")) {
            Size size = Size.parse(s);
            if (!choices.contains(size)) choices.add(size);
        }
        ToggleGroup group = new ToggleGroup();
        List<MenuItem> items = new ArrayList<>();
        RadioMenuItem frame = new RadioMenuItem("Input: frame size (rounded to 32)");
        frame.setId("input-frame");
        frame.setOnAction(e -> sizes.accept(vm, null));
        items.add(frame);
        Optional<Size> current = m.options().inputSize();
        frame.setToggleGroup(group);
        frame.setSelected(current.isEmpty());
        for (Size size : choices) {
            String label = "Input: " + size + (trained.filter(size::equals).isPresent() ? " (trained size)" : "");
            RadioMenuItem item = new RadioMenuItem(label);
            item.setId("input-" + size);
            item.setToggleGroup(group);
            item.setSelected(current.filter(size::equals).isPresent());
            item.setOnAction(e -> sizes.accept(vm, size));
            items.add(item);
        }
        return items;
    }

    private static void styleProvider(Label badge, String provider) {
        badge.getStyleClass().removeAll("badge-cpu", "badge-cuda");
        badge.getStyleClass().add("CUDA".equals(provider) ? "badge-cuda" : "badge-cpu");
    }
}
