package org.segbench.app.pane;

/**
 * One confusion-matrix cell shown on a pane: the pixels whose truth is {@code truthClass} and
 * whose prediction is {@code predictedClass}.
 *
 * @param truthPane the pane whose prediction is the truth (IoU against a reference pane), or null
 *                  for the ground truth
 */
public record CellHighlight(int truthClass, int predictedClass, PaneViewModel truthPane) { }
