package org.segbench.app.metrics;

import java.util.Locale;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/** A percentage with a horizontal bar behind it; a delta cell draws red/green from the centre. */
final class IouBarCell extends TableCell<IouRow, Number> {
    private final boolean delta;
    private final Region bar = new Region();
    private final Label text = new Label();
    private final StackPane box = new StackPane(bar, text);

    IouBarCell(boolean delta) {
        this.delta = delta;
        getStyleClass().add("iou-cell");
        bar.getStyleClass().add("iou-bar");
        bar.setManaged(false);
        text.getStyleClass().add("iou-text");
        StackPane.setAlignment(text, Pos.CENTER_RIGHT);
        box.setMinHeight(18);
        box.widthProperty().addListener((o, a, b) -> layoutBar());
        setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(Number item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null || Double.isNaN(item.doubleValue())) {
            setGraphic(empty || item == null ? null : box);
            text.setText(empty ? "" : "–");
            bar.setVisible(false);
            return;
        }
        double v = item.doubleValue();
        text.setText(delta ? String.format(Locale.ROOT, "%+.1f", v * 100) : String.format(Locale.ROOT, "%.1f", v * 100));
        bar.getStyleClass().removeAll("iou-bar-neg", "iou-bar-pos");
        if (delta) bar.getStyleClass().add(v < 0 ? "iou-bar-neg" : "iou-bar-pos");
        bar.setVisible(true);
        bar.setUserData(v);
        setGraphic(box);
        layoutBar();
    }

    private void layoutBar() {
        if (!(bar.getUserData() instanceof Double v)) return;
        double w = box.getWidth(), h = box.getHeight();
        if (delta) {
            double half = w / 2, len = Math.min(1, Math.abs(v) * 2) * half; // +-50 points fill the half
            bar.resizeRelocate(v < 0 ? half - len : half, 2, len, Math.max(0, h - 4));
        } else {
            bar.resizeRelocate(0, 2, Math.max(0, Math.min(1, v)) * w, Math.max(0, h - 4));
        }
    }
}
