package org.segbench.app.main;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;

import org.segbench.app.pane.PaneView;
import org.segbench.app.pane.PaneViewModel;

/** 1 pane full size, 2 side by side, 3-4 in a 2x2 grid; every pane shares one viewport. */
public final class PaneGrid extends StackPane {
    private final WorkbenchViewModel vm;
    private final GridPane grid = new GridPane();
    private final Map<PaneViewModel, PaneView> views = new HashMap<>();
    private final Label empty = new Label("Drop .onnx models, images, folders or videos here — or use Models ▸ Add model…");

    public PaneGrid(WorkbenchViewModel vm) {
        this.vm = vm;
        getStyleClass().add("pane-grid");
        grid.getStyleClass().add("pane-grid");
        empty.getStyleClass().add("empty-hint");
        getChildren().addAll(grid, empty);
        vm.panes().addListener((ListChangeListener<PaneViewModel>) c -> relayout());
        vm.groundTruthProperty().addListener(o -> markReference());
        vm.referenceProperty().addListener(o -> markReference());
        relayout();
    }

    public PaneView viewOf(PaneViewModel p) { return views.get(p); }

    /** The view of the first pane, if there is one. */
    public Optional<PaneView> firstView() {
        return vm.panes().isEmpty() ? Optional.empty() : Optional.ofNullable(views.get(vm.panes().get(0)));
    }

    private void relayout() {
        views.keySet().removeIf(p -> !vm.panes().contains(p));
        for (PaneViewModel p : vm.panes()) {
            views.computeIfAbsent(p, k -> {
                PaneView v = new PaneView(k, vm.viewport(), vm.panes(), vm::switchProvider, vm.cudaReason(),
                        vm::switchInputSize, () -> vm.removePane(k));
                v.canvas().setOnHover(vm::hoverAt);
                return v;
            });
        }
        grid.getChildren().clear();
        grid.getColumnConstraints().clear();
        grid.getRowConstraints().clear();
        int n = vm.panes().size();
        int cols = n <= 1 ? 1 : 2, rows = n <= 2 ? 1 : 2;
        for (int c = 0; c < cols; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / cols);
            cc.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < rows; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(100.0 / rows);
            rc.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(rc);
        }
        for (int i = 0; i < n; i++) {
            PaneView v = views.get(vm.panes().get(i));
            grid.add(v, i % cols, i / cols);
        }
        empty.setVisible(n == 0);
        vm.viewport().requestFit();
        markReference();
    }

    /** The gold frame marks the reference pane only while IoU is measured against it. */
    private void markReference() {
        boolean scoring = vm.referenceScoring();
        views.forEach((p, v) -> v.showAsReference(scoring && vm.referenceProperty().get() == p));
    }
}
