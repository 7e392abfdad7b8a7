package org.segbench.app.testing;

import java.nio.file.Path;

import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;

/** Panes on real models for view-model tests. */
public final class Panes {
    private Panes() { }

    /** A pane running {@code model} that delivers its results on {@code fx}. */
    public static PaneViewModel open(int id, Path model, Notifier notifier, FxThreadStandIn fx, ViewContext context)
            throws SegbenchException {
        return new PaneViewModel(id, SegmentationModel.load(model), notifier, fx, context);
    }
}
