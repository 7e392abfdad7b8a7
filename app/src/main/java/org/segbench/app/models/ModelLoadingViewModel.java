package org.segbench.app.models;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.prefs.RecentModels;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.ModelMetadata;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.NormalisationPreset;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.session.ParsedModel;

/**
 * Opens models in the background and adds a pane for each (at most {@link #MAX_PANES}); re-opens
 * a pane's model on another provider or at another input size. A file that cannot be opened
 * becomes a notification naming it, and the panes already open stay as they are.
 */
public final class ModelLoadingViewModel {
    public static final int MAX_PANES = 4;

    private final Workspace ws;
    private final Function<SegmentationModel, PaneViewModel> newPane;
    private final RecentModels recent;
    private final Executor loader;
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final ObservableList<Path> recentModels = FXCollections.observableArrayList();
    private Consumer<PaneViewModel> onReopened = p -> { };
    private int pendingLoads;

    /**
     * @param newPane makes the pane of a loaded model (the workbench gives it an id and its context)
     * @param loader  opens models, off the FX thread
     */
    public ModelLoadingViewModel(Workspace ws, Function<SegmentationModel, PaneViewModel> newPane, RecentModels recent,
                                 Executor loader) {
        this.ws = ws;
        this.newPane = newPane;
        this.recent = recent;
        this.loader = loader;
        recentModels.setAll(recent.list());
    }

    /** True while a model is being opened. */
    public BooleanProperty loadingProperty() { return loading; }
    public ObservableList<Path> recentModels() { return recentModels; }

    /** Called on the FX thread after a pane's model was re-opened with other options. */
    public void setOnReopened(Consumer<PaneViewModel> listener) { this.onReopened = listener; }

    /**
     * Opens a model with knob values and adds its pane (call on the FX thread). The future
     * completes on the FX thread once the pane is in the list, or with the error already notified.
     */
    public CompletableFuture<PaneViewModel> addModel(Path file, Map<String, Float> knobs) {
        if (ws.panes().size() + pendingLoads >= MAX_PANES) {
            ws.notifier().warn(file.getFileName().toString(), "at most " + MAX_PANES + " panes: remove one first");
            return CompletableFuture.failedFuture(new IllegalStateException("at most " + MAX_PANES + " panes"));
        }
        pendingLoads++;
        loading.set(true);
        return CompletableFuture.supplyAsync(() -> open(file, knobs), loader).handleAsync((model, failure) -> {
            pendingLoads--;
            loading.set(pendingLoads > 0);
            if (failure != null) {
                Throwable t = failure instanceof CompletionException ? failure.getCause() : failure;
                ws.notifier().error("Cannot open model " + file.getFileName(),
                        t instanceof SegbenchException se ? se.problem() : Notifier.describe(t));
                throw new CompletionException(t);
            }
            PaneViewModel pane = newPane.apply(model);
            knobs.forEach((k, v) -> pane.knobs().stream().filter(kv -> kv.name().equals(k))
                    .forEach(kv -> kv.valueProperty().set(v)));
            ws.panes().add(pane);
            recent.add(file);
            recentModels.setAll(recent.list());
            ws.status().accept("Loaded " + pane.name() + " (" + pane.providerProperty().get() + ")");
            return pane;
        }, ws.fx());
    }

    /**
     * Opened at the size it was trained at when it says so (its metadata's {@code input_size}; the
     * Device menu offers the frame's own size), and warmed up, so the first real frame does not pay
     * ONNX Runtime's start-up.
     */
    private static SegmentationModel open(Path file, Map<String, Float> knobs) {
        try {
            ModelOptions options = ModelOptions.defaults().withKnobs(knobs)
                    .withInputSize(trainedInputSize(file).orElse(null));
            SegmentationModel m = SegmentationModel.load(file, options);
            try {
                m.warmUp(m.defaultInputSize(), 1);
                return m;
            } catch (SegbenchException | RuntimeException e) {
                m.close();
                throw e;
            }
        } catch (SegbenchException e) {
            throw new CompletionException(e);
        }
    }

    /**
     * The input size a model declares it was trained at, if any. Read from the file before the
     * session opens, because the input size is fixed when the model is opened; a file whose
     * metadata cannot be read has none here (opening it reports the problem).
     */
    public static Optional<Size> trainedInputSize(Path file) {
        try {
            return ModelMetadata.find(file, ParsedModel.read(file).file().metadata(), -1).inputSize();
        } catch (SegbenchException | RuntimeException e) {
            return Optional.empty();
        }
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

    /** Re-opens a pane's model with a normalisation preset (a model without metadata). */
    public void switchNormalisation(PaneViewModel pane, NormalisationPreset preset) {
        ModelOptions options = pane.model().options().withNormalisation(preset.mean(), preset.std())
                .withProvider(Provider.parse(pane.providerName()));
        reopen(pane, options, m -> pane.name() + " now normalises as " + preset.key());
    }

    /** Loads the pane's model again with other options, keeping its knob values; swapped in between frames. */
    private void reopen(PaneViewModel pane, ModelOptions options, Function<SegmentationModel, String> done) {
        Path file = pane.model().path();
        Map<String, Float> knobs = pane.knobValues();
        CompletableFuture.supplyAsync(() -> {
            try {
                return SegmentationModel.load(file, options.withKnobs(knobs));
            } catch (SegbenchException e) {
                throw new CompletionException(e);
            }
        }, loader).whenCompleteAsync((model, failure) -> {
            if (failure != null) {
                ws.notifier().error(file.getFileName() + ": cannot re-open", Notifier.describe(
                        failure instanceof CompletionException ? failure.getCause() : failure));
                return;
            }
            pane.swapModel(model);
            ws.status().accept(done.apply(model));
            onReopened.accept(pane);
        }, ws.fx());
    }
}
