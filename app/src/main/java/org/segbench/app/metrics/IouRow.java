package org.segbench.app.metrics;

import javafx.scene.paint.Color;

/**
 * One line of the IoU table: a class (or a summary such as mIoU) with one value per model column,
 * as fractions 0..1, NaN where the class has no IoU (no ground truth and no prediction), and the
 * same on the boundary band only ({@code boundary}, for the table's boundary columns).
 */
public record IouRow(String name, Color color, double[] values, double[] boundary, boolean summary) {
    /** A row without boundary values. */
    public IouRow(String name, Color color, double[] values, boolean summary) {
        this(name, color, values, new double[0], summary);
    }

    public double value(int column) {
        return column < values.length ? values[column] : Double.NaN;
    }

    /** The boundary-band value of a column; NaN when there is none. */
    public double boundaryValue(int column) {
        return column < boundary.length ? boundary[column] : Double.NaN;
    }
}
