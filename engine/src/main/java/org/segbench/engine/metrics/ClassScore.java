package org.segbench.engine.metrics;

/** IoU and accuracy of one class; NaN where the class has no IoU / no ground truth. */
public record ClassScore(int classId, String name, double iou, double accuracy, long groundTruthPixels) {
}
