package org.segbench.app.ablation;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.segbench.app.AppOptions;
import org.segbench.app.metrics.IouScoringViewModel;
import org.segbench.app.models.ModelLoadingViewModel;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.render.ViewMode;

/**
 * The skip-connection ablation in one click: the same model twice, skip gain 1 and 0. The second
 * pane shows where they disagree; the IoU table shows the per-class difference (with ground truth)
 * or the agreement with gain 1 (without).
 */
public final class SkipAblationViewModel {
    public static final String SKIP_KNOB = "skip_gain";
    private static final String GAIN_1 = " · skip 1";

    private final Workspace ws;
    private final Path modelFolder;
    private final ModelLoadingViewModel models;
    private final IouScoringViewModel scoring;
    private final Runnable removeAllPanes;

    /**
     * @param modelFolder    where the bundled models are ({@code assets/models})
     * @param removeAllPanes clears the panes before the two ablation panes are added
     */
    public SkipAblationViewModel(Workspace ws, Path modelFolder, ModelLoadingViewModel models, IouScoringViewModel scoring,
                                 Runnable removeAllPanes) {
        this.ws = ws;
        this.modelFolder = modelFolder;
        this.models = models;
        this.scoring = scoring;
        this.removeAllPanes = removeAllPanes;
    }

    /** The Fast-SCNN to ablate: an open pane with a skip knob, else a bundled one (the CamVid one first). */
    public Optional<Path> fastScnnModel() {
        // Other networks have a skip_gain too (SPSSNet): the menu's ablation is Fast-SCNN's, by name.
        for (PaneViewModel p : ws.panes()) {
            String n = (p.name() + " " + p.model().path().getFileName()).toLowerCase(Locale.ROOT).replace("-", "");
            if (n.contains("fastscnn") && p.knobs().stream().anyMatch(k -> k.name().equals(SKIP_KNOB))) {
                return Optional.of(p.model().path());
            }
        }
        List<Path> bundled = AppOptions.onnxIn(modelFolder).stream()
                .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).contains("fastscnn")).toList();
        return bundled.stream().filter(p -> p.getFileName().toString().contains("camvid")).findFirst()
                .or(() -> bundled.stream().findFirst());
    }

    /** The ablation on the Fast-SCNN {@link #fastScnnModel()} finds; a warning when there is none. */
    public void run() {
        Optional<Path> model = fastScnnModel();
        if (model.isEmpty()) {
            ws.notifier().warn("Skip-connection ablation", "no Fast-SCNN model with a '" + SKIP_KNOB + "' knob found in "
                    + modelFolder);
            return;
        }
        run(model.get());
    }

    /**
     * The ablation on any model with a {@code skip_gain} knob (SPSSNet has one too). Completes on
     * the FX thread with the two panes, gain 1 and gain 0.
     */
    public CompletableFuture<List<PaneViewModel>> run(Path file) {
        removeAllPanes.run();
        return models.addModel(file, Map.of(SKIP_KNOB, 1f)).thenCompose(a -> {
            a.nameProperty().set(a.name() + GAIN_1);
            return models.addModel(file, Map.of(SKIP_KNOB, 0f)).thenApply(b -> {
                b.nameProperty().set(b.name().replace(GAIN_1, "") + " · skip 0");
                b.compareWithProperty().set(a);
                b.viewModeProperty().set(ViewMode.DISAGREEMENT);
                // the reference is used when there is no ground truth, or it does not fit the model's classes
                ws.reference().set(a);
                scoring.setAblation(a, b);
                // the skip connection's point is the detail at class edges: show the boundary drop too
                scoring.table().showBoundaryProperty().set(true);
                ws.status().accept("Skip ablation: right pane = where gain 0 differs from gain 1 (boundaries, small objects)");
                return List.of(a, b);
            });
        });
    }
}
