package org.segbench.app.metrics;

import java.util.Locale;

import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.layout.Region;

/** A percentage with a horizontal bar behind it; a delta cell draws red/green from the centre. */
final class IouBarCell extends TableCell<IouRow, Number> {
    private final BarBox box;

    IouBarCell(boolean delta) {
        getStyleClass().add("iou-cell");
        box = new BarBox(delta);
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(Number item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
            setGraphic(null);
            return;
        }
        box.setValue(item.doubleValue());
        setGraphic(box);
    }

    /** Lays the bar out in its own layout pass, so it is right whatever the column width does. */
    private static final class BarBox extends Region {
        private final boolean delta;
        private final Region bar = new Region();
        private final Label text = new Label();
        private double value = Double.NaN;

        BarBox(boolean delta) {
            this.delta = delta;
            bar.getStyleClass().add("iou-bar");
            text.getStyleClass().add("iou-text");
            getChildren().addAll(bar, text);
            setMinHeight(18);
            setPrefHeight(18);
        }

        void setValue(double v) {
            value = v;
            bar.getStyleClass().removeAll("iou-bar-neg", "iou-bar-pos");
            if (Double.isNaN(v)) {
                text.setText("–");
                bar.setVisible(false);
            } else {
                text.setText(String.format(Locale.ROOT, delta ? "%+.1f" : "%.1f", v * 100));
                if (delta) bar.getStyleClass().add(v < 0 ? "iou-bar-neg" : "iou-bar-pos");
                bar.setVisible(true);
            }
            requestLayout();
        }

        @Override
        protected double computePrefWidth(double height) { return 60; }

        @Override
        protected void layoutChildren() {
            double w = getWidth(), h = getHeight();
            double tw = text.prefWidth(-1), th = text.prefHeight(-1);
            text.resizeRelocate(Math.max(0, w - tw), (h - th) / 2, tw, th);
            if (Double.isNaN(value)) return;
            if (delta) {
                double half = w / 2, len = Math.min(1, Math.abs(value) * 2) * half; // +-50 points fill a half
                bar.resizeRelocate(value < 0 ? half - len : half, 2, len, Math.max(0, h - 4));
            } else {
                bar.resizeRelocate(0, 2, Math.max(0, Math.min(1, value)) * w, Math.max(0, h - 4));
            }
        }
    }
}
