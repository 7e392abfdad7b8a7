package org.segbench.app.confusion;

import java.util.Locale;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;

import org.segbench.app.metrics.IouScoringViewModel;
import org.segbench.app.pane.CellHighlight;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.LabelSet;
import org.segbench.engine.metrics.ConfusionMatrix;

/**
 * The confusion matrix of one pane's model over the frames scored so far (the IoU table's
 * counts), row-normalised for the heat map. Choosing a cell highlights, on that pane, the pixels
 * of the current frame whose truth is the row and whose prediction is the column; choosing it
 * again clears it. FX thread throughout; the counts come from {@link IouScoringViewModel}.
 */
public final class ConfusionMatrixViewModel {
    private final IouScoringViewModel scoring;
    private final ObjectProperty<PaneViewModel> pane = new SimpleObjectProperty<>();
    private final ObjectProperty<ConfusionGrid> grid = new SimpleObjectProperty<>();
    private final ObjectProperty<CellHighlight> selected = new SimpleObjectProperty<>();
    private final StringProperty caption = new SimpleStringProperty("");
    private final StringProperty cellInfo = new SimpleStringProperty("");

    public ConfusionMatrixViewModel(Workspace ws, IouScoringViewModel scoring) {
        this.scoring = scoring;
        scoring.revisionProperty().addListener(o -> refresh());
        pane.addListener((o, old, now) -> {
            if (old != null) old.highlightProperty().set(null);
            selected.set(null);
            cellInfo.set("");
            refresh();
        });
        ws.panes().addListener((ListChangeListener<PaneViewModel>) c -> {
            if (pane.get() == null || !ws.panes().contains(pane.get())) {
                pane.set(ws.panes().isEmpty() ? null : ws.panes().get(0));
            }
        });
        if (!ws.panes().isEmpty()) pane.set(ws.panes().get(0));
    }

    /** The model whose matrix is shown (the first pane until the user picks another). */
    public ObjectProperty<PaneViewModel> paneProperty() { return pane; }
    /** The matrix shown; null when that pane is not scored yet. */
    public ObjectProperty<ConfusionGrid> gridProperty() { return grid; }
    /** The highlighted cell, or null. */
    public ObjectProperty<CellHighlight> selectedProperty() { return selected; }
    public StringProperty captionProperty() { return caption; }
    /** What the chosen cell holds, in words. */
    public StringProperty cellInfoProperty() { return cellInfo; }

    /** Rebuilds the grid from the scoring's counts. */
    public void refresh() {
        PaneViewModel p = pane.get();
        ConfusionMatrix m = p == null ? null : scoring.matrix(p);
        LabelSet labels = p == null ? null : scoring.scoringLabels(p);
        if (m == null || labels == null) {
            grid.set(null);
            caption.set(p == null ? "No model." : "No counts for " + p.nameWithId()
                    + " yet: attach ground truth, or compare with a reference pane.");
            return;
        }
        grid.set(ConfusionGrid.of(m, labels));
        PaneViewModel truth = scoring.truthPane();
        caption.set(String.format(Locale.ROOT, "%s · rows: %s, columns: prediction, %% of the row · %d %s",
                p.nameWithId(), truth == null ? "ground truth" : "reference " + truth.nameWithId(), m.frames(),
                m.frames() == 1 ? "frame" : "frames"));
    }

    /** Highlights the pixels of (truth = row, prediction = column) on the pane; the same cell again clears it. */
    public void select(int row, int column) {
        PaneViewModel p = pane.get();
        ConfusionGrid g = grid.get();
        if (p == null || g == null || row < 0 || column < 0 || row >= g.size() || column >= g.size()) return;
        CellHighlight now = selected.get();
        if (now != null && now.truthClass() == row && now.predictedClass() == column) {
            clearSelection();
            return;
        }
        CellHighlight cell = new CellHighlight(row, column, scoring.truthPane());
        selected.set(cell);
        p.highlightProperty().set(cell);
        cellInfo.set("Highlighted on " + p.nameWithId() + ": " + describe(row, column));
    }

    public void clearSelection() {
        selected.set(null);
        PaneViewModel p = pane.get();
        if (p != null) p.highlightProperty().set(null);
        cellInfo.set("");
    }

    /** A cell in words: the counts behind the colour. */
    public String describe(int row, int column) {
        ConfusionGrid g = grid.get();
        if (g == null || row < 0 || column < 0 || row >= g.size() || column >= g.size()) return "";
        long n = g.counts()[row][column];
        double share = g.share()[row][column];
        return String.format(Locale.ROOT, "truth %s → predicted %s: %,d px (%s of %,d %s px)", g.names().get(row),
                g.names().get(column), n, Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.1f %%", share * 100),
                g.rowTotal(row), g.names().get(row));
    }
}
