package org.segbench.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.segbench.engine.frame.LogitsDecoder;

/**
 * The argmax of BENCHMARKS.md's end-to-end runs: 11-class (CamVid) logits at the network input
 * size to labels at vtest.avi's 576x768, labels only (the pipeline's path).
 */
@State(Scope.Thread)
public class VideoArgmaxBench {
    @Param({"360x480", "512x1024"})
    public String logits;

    private float[] data;
    private int h;
    private int w;
    private final byte[] labels = new byte[576 * 768];

    @Setup
    public void setUp() {
        String[] hw = logits.split("x");
        h = Integer.parseInt(hw[0]);
        w = Integer.parseInt(hw[1]);
        data = Cityscapes.logits(11, h, w, 9);
    }

    @Benchmark
    public byte[] labelsOnly() {
        LogitsDecoder.decode(data, 0, 11, h, w, 576, 768, labels, null);
        return labels;
    }
}
