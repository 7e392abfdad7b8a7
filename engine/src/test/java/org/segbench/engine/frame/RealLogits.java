package org.segbench.engine.frame;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.TestData;
import org.segbench.engine.session.SessionRunner;
import org.segbench.engine.session.SessionTuning;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Logits of one frame as ONNX Runtime gave them, in a direct buffer as the pinned output is: a
 * bundled model run by the engine at 360x480 on frames 0, 200 and 400 of vtest.avi and on a CamVid
 * image, for the decoder tests that need real scenes. The zoo models give their logits at the
 * network's resolution (1/8 or 1/32 of the input), the ESPNet reference at the input's.
 */
record RealLogits(String what, FloatBuffer values, int classes, int h, int w) {
    static final Size INPUT = new Size(360, 480);

    /**
     * @param classes the model's output classes
     * @param stride  the logits' size is the input's divided by this (rounded up)
     */
    static List<RealLogits> of(String modelName, int classes, int stride) throws Exception {
        Path model = TestData.REPO.resolve("assets/models").resolve(modelName);
        ModelOptions cpu = ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1).withInputSize(INPUT);
        List<RealLogits> out = new ArrayList<>();
        try (SegmentationModel m = SegmentationModel.load(model, cpu);
             SessionRunner runner = m.openRunner(SessionTuning.pipeline().withIntraOpThreads(1))) {
            Preprocessor pre = new Preprocessor(m.metadata().mean(), m.metadata().std());
            try (FrameSource video = FrameSources.open(TestData.VTEST)) {
                for (int i = 0; i <= 400; i++) {
                    Optional<Frame> next = video.next();
                    assertTrue(next.isPresent(), "vtest.avi has 400 frames");
                    try (Frame f = next.get()) {
                        if (i % 200 == 0) {
                            out.add(run(runner, pre, f, modelName + " vtest.avi frame " + i, classes, stride));
                        }
                    }
                }
            }
            Path camvid = TestData.CAMVID.resolve("val/0016E5_07959.png");
            try (FrameSource image = FrameSources.open(camvid); Frame f = image.next().orElseThrow()) {
                out.add(run(runner, pre, f, modelName + " " + camvid.getFileName(), classes, stride));
            }
        }
        return out;
    }

    private static RealLogits run(SessionRunner runner, Preprocessor pre, Frame frame, String what, int classes,
                                  int stride) throws Exception {
        try (OnnxTensor image = runner.imageTensor(pre.apply(frame.bgr(), INPUT), INPUT);
             OrtSession.Result r = runner.runPlain(image)) {
            OnnxTensor t = (OnnxTensor) r.get(0);
            long[] s = t.getInfo().getShape();
            long[] expected = {1, classes, -Math.floorDiv(-INPUT.height(), stride), -Math.floorDiv(-INPUT.width(), stride)};
            assertArrayEquals(expected, s, what + ": CamVid logits at 1/" + stride + " of the input");
            FloatBuffer src = t.getFloatBuffer();
            FloatBuffer direct = ByteBuffer.allocateDirect(src.remaining() * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            direct.put(src).flip();
            return new RealLogits(what, direct, (int) s[1], (int) s[2], (int) s[3]);
        }
    }
}
