package org.segbench.app.confusion;

import java.util.List;

import org.segbench.engine.LabelSet;
import org.segbench.engine.metrics.ConfusionMatrix;
import java.util.stream.IntStream;

/**
 * A confusion matrix as the heat map shows it: rows are the truth, columns the prediction, each
 * cell the pixel count and its share of the row (row-normalised: how the truth's pixels were
 * labelled). Predictions outside the classes (a void output) count in the row's total only.
 *
 * @param share NaN in a row without truth pixels
 */
public record ConfusionGrid(List<String> names, long[][] counts, double[][] share, long frames) {

    public static ConfusionGrid of(ConfusionMatrix m, LabelSet labels) {
        int n = m.classes();
        long[][] counts = new long[n][n];
        double[][] share = new double[n][n];
        for (int g = 0; g < n; g++) {
            long row = m.groundTruthPixels(g);
            for (int p = 0; p < n; p++) {
                counts[g][p] = m.count(g, p);
                share[g][p] = row == 0 ? Double.NaN : counts[g][p] / (double) row;
            }
        }
        List<String> names = IntStream.range(0, n).mapToObj(labels::name).toList();
        return new ConfusionGrid(names, counts, share, m.frames());
    }

    public int size() { return names.size(); }

    /** Truth pixels of a row (those predicted outside the classes included). */
    public long rowTotal(int row) {
        long s = 0;
        for (long c : counts[row]) s += c;
        return s;
    }
}
