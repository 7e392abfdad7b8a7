package org.segbench.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.segbench.engine.metrics.ConfusionMatrix;

/** One 1024x2048 frame added to a 19-class confusion matrix (ground truth vs a shifted prediction). */
@State(Scope.Thread)
public class ConfusionMatrixBench {
    private byte[] groundTruth;
    private byte[] prediction;
    private ConfusionMatrix matrix;

    @Setup
    public void setUp() {
        groundTruth = Cityscapes.labels(5);
        prediction = Cityscapes.labels(6);
        // some ignored pixels, as in real ground truth
        for (int i = 0; i < groundTruth.length; i += 17) {
            groundTruth[i] = (byte) 255;
        }
        matrix = new ConfusionMatrix(Cityscapes.CLASSES, 255);
    }

    @Benchmark
    public ConfusionMatrix add() {
        matrix.add(groundTruth, prediction);
        return matrix;
    }
}
