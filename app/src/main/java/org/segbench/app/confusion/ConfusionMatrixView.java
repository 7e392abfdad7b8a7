package org.segbench.app.confusion;

import java.util.Locale;

import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import javafx.collections.ObservableList;

import org.segbench.app.pane.CellHighlight;
import org.segbench.app.pane.CaptionLabel;
import org.segbench.app.pane.PaneNameCell;
import org.segbench.app.pane.PaneViewModel;

/**
 * The confusion matrix as a heat map: rows are the truth, columns the prediction, colour the
 * row-normalised share, class names on both axes. Hovering a cell tells its counts; clicking it
 * highlights its pixels on the pane.
 */
public final class ConfusionMatrixView extends VBox {
    private static final double ROW_LABELS = 92;
    private static final double COLUMN_LABELS = 78;
    private static final Color EMPTY = Color.web("#1b1e22");
    private static final Color FULL = Color.web("#3fa7f5");

    private final ConfusionMatrixViewModel vm;
    private final Canvas canvas = new Canvas();
    private final Tooltip tip = new Tooltip();
    private final Label hover = new Label();

    public ConfusionMatrixView(ConfusionMatrixViewModel vm, ObservableList<PaneViewModel> panes) {
        this.vm = vm;
        getStyleClass().add("iou-table-box");
        setId("confusion-matrix");
        Label title = new Label("Model");
        title.getStyleClass().add("section-title");
        ComboBox<PaneViewModel> pick = PaneNameCell.picker(panes);
        pick.valueProperty().bindBidirectional(vm.paneProperty());
        pick.setPrefWidth(220);
        HBox header = new HBox(6, title, pick);
        header.setAlignment(Pos.CENTER_LEFT);
        Label caption = new CaptionLabel(vm.captionProperty());
        hover.setId("confusion-hover");
        hover.getStyleClass().add("caption");
        hover.setWrapText(true);
        Label chosen = new Label();
        chosen.setId("confusion-selected");
        chosen.getStyleClass().add("caption");
        chosen.setWrapText(true);
        chosen.textProperty().bind(vm.cellInfoProperty());

        Pane holder = new Pane(canvas);
        holder.setMinHeight(160);
        holder.setPrefHeight(340);
        VBox.setVgrow(holder, Priority.ALWAYS);
        canvas.widthProperty().bind(holder.widthProperty());
        canvas.heightProperty().bind(holder.heightProperty());
        canvas.widthProperty().addListener(o -> draw());
        canvas.heightProperty().addListener(o -> draw());
        Tooltip.install(canvas, tip);
        canvas.setOnMouseMoved(e -> {
            int[] cell = cellAt(e.getX(), e.getY());
            String text = cell == null ? "" : vm.describe(cell[0], cell[1]);
            hover.setText(text);
            tip.setText(text.isEmpty() ? "Hover a cell for its counts; click it to see its pixels" : text);
        });
        canvas.setOnMouseExited(e -> hover.setText(""));
        canvas.setOnMouseClicked(e -> {
            int[] cell = cellAt(e.getX(), e.getY());
            if (cell != null) vm.select(cell[0], cell[1]);
        });
        vm.gridProperty().addListener(o -> draw());
        vm.selectedProperty().addListener(o -> draw());
        getChildren().addAll(header, caption, holder, hover, chosen);
        setSpacing(4);
        draw();
    }

    public Canvas canvas() { return canvas; }

    /** The centre of a cell in the canvas' coordinates (for tests and keyboard-free clicking). */
    public Point2D cellCenter(int row, int column) {
        double s = cellSize();
        return new Point2D(ROW_LABELS + (column + 0.5) * s, COLUMN_LABELS + (row + 0.5) * s);
    }

    private double cellSize() {
        ConfusionGrid g = vm.gridProperty().get();
        if (g == null || g.size() == 0) return 0;
        double s = Math.min((canvas.getWidth() - ROW_LABELS - 4) / g.size(), (canvas.getHeight() - COLUMN_LABELS - 4) / g.size());
        return Math.max(4, Math.floor(s));
    }

    private int[] cellAt(double x, double y) {
        ConfusionGrid g = vm.gridProperty().get();
        double s = cellSize();
        if (g == null || s <= 0 || x < ROW_LABELS || y < COLUMN_LABELS) return null;
        int col = (int) ((x - ROW_LABELS) / s);
        int row = (int) ((y - COLUMN_LABELS) / s);
        return row < g.size() && col < g.size() ? new int[] {row, col} : null;
    }

    private void draw() {
        GraphicsContext gc = canvas.getGraphicsContext2D();
        gc.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        ConfusionGrid g = vm.gridProperty().get();
        if (g == null) return;
        double s = cellSize();
        int n = g.size();
        gc.setFont(Font.font(10.5));
        gc.setFill(Color.web("#c9ced4"));
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.RIGHT);
        for (int r = 0; r < n; r++) gc.fillText(clip(g.names().get(r)), ROW_LABELS - 4, COLUMN_LABELS + (r + 0.5) * s);
        gc.setTextAlign(TextAlignment.LEFT);
        for (int c = 0; c < n; c++) {
            gc.save();
            gc.translate(ROW_LABELS + (c + 0.5) * s, COLUMN_LABELS - 4);
            gc.rotate(-90);
            gc.fillText(clip(g.names().get(c)), 0, 0);
            gc.restore();
        }
        gc.setTextAlign(TextAlignment.CENTER);
        gc.setFont(Font.font(Math.min(10, s * 0.42)));
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double v = g.share()[r][c];
                double x = ROW_LABELS + c * s, y = COLUMN_LABELS + r * s;
                gc.setFill(Double.isNaN(v) ? Color.web("#141619") : EMPTY.interpolate(FULL, Math.sqrt(v)));
                gc.fillRect(x, y, s - 1, s - 1);
                if (s >= 18 && !Double.isNaN(v) && v >= 0.005) {
                    gc.setFill(v > 0.45 ? Color.web("#0d1014") : Color.web("#dfe2e6"));
                    gc.fillText(String.format(Locale.ROOT, "%.0f", v * 100), x + s / 2, y + s / 2);
                }
            }
        }
        CellHighlight sel = vm.selectedProperty().get();
        if (sel != null && sel.truthClass() < n && sel.predictedClass() < n) {
            gc.setStroke(Color.web("#00e5ff"));
            gc.setLineWidth(2);
            gc.strokeRect(ROW_LABELS + sel.predictedClass() * s, COLUMN_LABELS + sel.truthClass() * s, s - 1, s - 1);
        }
        gc.setFill(Color.web("#9aa1a9"));
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setFont(Font.font(10));
        gc.fillText("truth ↓  prediction →", 2, 10);
    }

    private static String clip(String name) {
        return name.length() > 14 ? name.substring(0, 13) + "…" : name;
    }
}
