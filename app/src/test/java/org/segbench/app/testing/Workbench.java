package org.segbench.app.testing;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.metrics.IouScoringViewModel;
import org.segbench.app.models.ModelLoadingViewModel;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.prefs.RecentModels;
import org.segbench.app.workspace.Workspace;

/**
 * The workbench's view-models wired as WorkbenchViewModel wires them, but on plain threads: a
 * stand-in FX thread, a loader and a metrics thread, and a throwaway preferences node.
 */
public final class Workbench implements AutoCloseable {
    public final FxThreadStandIn fx = new FxThreadStandIn();
    public final ExecutorService loader = Executors.newSingleThreadExecutor();
    public final ExecutorService metrics = Executors.newSingleThreadExecutor();
    public final Notifier notifier = new Notifier(fx);
    public final ObservableList<PaneViewModel> panes = FXCollections.observableArrayList();
    public final ObjectProperty<GroundTruthIndex> groundTruth = new SimpleObjectProperty<>();
    public final ObjectProperty<PaneViewModel> reference = new SimpleObjectProperty<>();
    public final Workspace ws = new Workspace(panes, groundTruth, reference, notifier, fx, s -> { });
    public final Preferences prefs = Preferences.userRoot().node("org/segbench/app-test-" + ProcessHandle.current().pid());
    public final IouScoringViewModel scoring;
    public final ModelLoadingViewModel models;
    private int nextId = 1;

    public Workbench(ViewContext context) {
        scoring = new IouScoringViewModel(ws, metrics);
        models = new ModelLoadingViewModel(ws, m -> {
            PaneViewModel p = new PaneViewModel(nextId++, m, notifier, fx, context);
            p.setOnResult(scoring::onPaneResult);
            return p;
        }, new RecentModels(prefs), loader);
    }

    /** Removes every pane, as the workbench does before an ablation. */
    public void removeAllPanes() {
        for (PaneViewModel p : List.copyOf(panes)) {
            panes.remove(p);
            scoring.forget(p);
            p.close();
        }
    }

    @Override
    public void close() {
        List<PaneViewModel> open = fx.call(() -> List.copyOf(panes));
        fx.run(this::removeAllPanes);
        for (PaneViewModel p : open) {
            try {
                p.awaitClosed(5_000);  // the test JVM must not exit under a worker inside ONNX Runtime
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loader.shutdownNow();
        metrics.shutdownNow();
        fx.close();
        try {
            prefs.removeNode();
        } catch (BackingStoreException e) {
            // a throwaway node; nothing to keep
        }
    }
}
