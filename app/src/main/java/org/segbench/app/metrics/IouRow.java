package org.segbench.app.metrics;

import javafx.scene.paint.Color;

/**
 * One line of the IoU table: a class (or a summary such as mIoU) with one value per model column,
 * as fractions 0..1, NaN where the class has no IoU (no ground truth and no prediction).
 */
public record IouRow(String name, Color color, double[] values, boolean summary) {
    public double value(int column) {
        return column < values.length ? values[column] : Double.NaN;
    }
}
