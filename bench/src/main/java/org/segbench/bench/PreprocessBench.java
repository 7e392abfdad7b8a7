package org.segbench.bench;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.segbench.engine.OpenCv;
import org.segbench.engine.Size;
import org.segbench.engine.frame.Preprocessor;

import java.nio.FloatBuffer;

/** A 1024x2048 BGR frame to the network input: resize, BGR->RGB, normalise, NCHW. */
@State(Scope.Thread)
public class PreprocessBench {
    /** Network input: the full frame (Cityscapes protocol) or the half-size input most models use. */
    @Param({"1024x2048", "512x1024"})
    public String input;

    private Mat frame;
    private Preprocessor preprocessor;
    private Size target;

    @Setup
    public void setUp() {
        OpenCv.load();
        frame = new Mat(Cityscapes.H, Cityscapes.W, CvType.CV_8UC3);
        Core.setRNGSeed(7);
        Core.randu(frame, 0, 256);
        preprocessor = new Preprocessor(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
        target = Size.parse(input);
    }

    @Benchmark
    public FloatBuffer preprocess() {
        return preprocessor.apply(frame, target);
    }
}
