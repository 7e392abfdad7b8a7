package org.segbench.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.segbench.engine.frame.LogitsDecoder;

/**
 * 19-class logits to a 1024x2048 label map: from logits at full size (argmax only) and from
 * half-size logits (bilinear upsampling + argmax); labels only, and with the softmax scores the
 * hover readout needs.
 */
@State(Scope.Thread)
public class ArgmaxBench {
    @Param({"1024x2048", "512x1024"})
    public String logits;

    private float[] data;
    private int h;
    private int w;
    private final byte[] labels = new byte[Cityscapes.H * Cityscapes.W];
    private final float[] scores = new float[Cityscapes.H * Cityscapes.W];

    @Setup
    public void setUp() {
        String[] hw = logits.split("x");
        h = Integer.parseInt(hw[0]);
        w = Integer.parseInt(hw[1]);
        data = Cityscapes.logits(Cityscapes.CLASSES, h, w, 42);
    }

    @Benchmark
    public byte[] labelsOnly() {
        LogitsDecoder.decode(data, 0, Cityscapes.CLASSES, h, w, Cityscapes.H, Cityscapes.W, labels, null);
        return labels;
    }

    @Benchmark
    public float[] withScores() {
        LogitsDecoder.decode(data, 0, Cityscapes.CLASSES, h, w, Cityscapes.H, Cityscapes.W, labels, scores);
        return scores;
    }
}
