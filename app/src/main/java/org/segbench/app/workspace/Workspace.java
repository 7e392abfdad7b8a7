package org.segbench.app.workspace;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import javafx.beans.property.ObjectProperty;
import javafx.collections.ObservableList;

import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;

/**
 * What the workbench's view-models share: the open panes, the ground truth, the reference pane
 * (the truth when there is no ground truth), where to tell the user, and the FX thread. The
 * workbench makes one; tests make one on a stand-in FX thread.
 *
 * @param fx     runs on the FX thread: the panes and every property belong to it
 * @param status the status line
 */
public record Workspace(ObservableList<PaneViewModel> panes, ObjectProperty<GroundTruthIndex> groundTruth,
                        ObjectProperty<PaneViewModel> reference, Notifier notifier, Executor fx, Consumer<String> status) {
}
