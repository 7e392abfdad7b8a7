package org.segbench.bench;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.OpenCv;
import org.segbench.engine.render.Colorizer;

/**
 * A 1024x2048 label map to ARGB: the colour mask, the overlay as the API returns it (new arrays),
 * and the overlay into reused buffers as the pipeline does it.
 */
@State(Scope.Thread)
public class ColouriseBench {
    private Colorizer colorizer;
    private LabelMap map;
    private Mat frame;
    private final byte[] bgr = new byte[Cityscapes.H * Cityscapes.W * 3];
    private final int[] out = new int[Cityscapes.H * Cityscapes.W];

    @Setup
    public void setUp() {
        OpenCv.load();
        colorizer = new Colorizer(LabelSet.cityscapes());
        map = new LabelMap(Cityscapes.W, Cityscapes.H, Cityscapes.labels(3));
        frame = new Mat(Cityscapes.H, Cityscapes.W, CvType.CV_8UC3);
        Core.setRNGSeed(3);
        Core.randu(frame, 0, 256);
    }

    @Benchmark
    public int[] mask() {
        return colorizer.mask(map);
    }

    @Benchmark
    public int[] overlay() {
        return colorizer.overlay(frame, map, 0.5);
    }

    @Benchmark
    public int[] overlayReused() {
        frame.get(0, 0, bgr);
        colorizer.overlay(bgr, map, 0.5, out);
        return out;
    }
}
