package org.segbench.engine.frame;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
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
 * The labels-only shortcut of {@link LogitsDecoder} against the full per-class interpolation on
 * real logits: bundled models run by the engine at 360x480 on frames of vtest.avi and on a CamVid
 * image, decoded to the video's 576x768, to the input's own size and to odd sizes up and down.
 * Every label must be the same. The logits come at three resolutions: 1/8 of the input
 * (Fast-SCNN), 1/32 (NDNet45, an FCN32) and the input's own (the ESPNet reference, whose decoder
 * ends in a transposed convolution): the last has a class boundary between almost every pair of
 * rows somewhere, the hardest case for the shortcut.
 */
class ShortcutOnRealLogitsTest {
    private static final Size INPUT = new Size(360, 480);
    private static final Size[] TARGETS = {
        new Size(576, 768), new Size(360, 480), new Size(577, 769), new Size(241, 333), new Size(721, 961),
        new Size(360, 481)};

    /** Logits of one frame as ONNX Runtime gave them, in a direct buffer as the pinned output is. */
    private record Logits(String what, FloatBuffer values, int classes, int h, int w) {
    }

    @Test
    void fastScnnLabelsEqualTheFullInterpolation() throws Exception {
        assertSameLabels(logitsOf("fastscnn.onnx", 11, 8));
    }

    @Test
    void ndnet45LabelsEqualTheFullInterpolation() throws Exception {
        assertSameLabels(logitsOf("ndnet45.onnx", 11, 32));
    }

    @Test
    void espnetLabelsAtTheInputSizeEqualTheFullInterpolation() throws Exception {
        assertSameLabels(logitsOf("espnet_camvid.onnx", 12, 1));
    }

    private static void assertSameLabels(List<Logits> frames) {
        assertEquals(4, frames.size(), "three video frames and one CamVid image");
        for (Logits l : frames) {
            float[] copy = new float[l.classes * l.h * l.w];
            l.values.get(0, copy);
            for (Size t : TARGETS) {
                byte[] fast = new byte[t.height() * t.width()];
                byte[] full = new byte[fast.length];
                LogitsDecoder.decodeLabels(l.values, 0, l.classes, l.h, l.w, t.height(), t.width(), fast);
                LogitsDecoder.decodeLabelsFull(copy, 0, l.classes, l.h, l.w, t.height(), t.width(), full);
                String where = l.what + " -> " + t;
                assertArrayEquals(full, fast, where);
                assertTrue(classesIn(full) >= 3, where + ": a real scene has several classes (boundaries to decide)");
            }
        }
    }

    private static int classesIn(byte[] labels) {
        boolean[] seen = new boolean[256];
        int n = 0;
        for (byte b : labels) {
            if (!seen[b & 0xFF]) {
                seen[b & 0xFF] = true;
                n++;
            }
        }
        return n;
    }

    /** @param stride the logits' size is the input's divided by this (rounded up) */
    private static List<Logits> logitsOf(String modelName, int classes, int stride) throws Exception {
        Path model = TestData.REPO.resolve("assets/models").resolve(modelName);
        ModelOptions cpu = ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1).withInputSize(INPUT);
        List<Logits> out = new ArrayList<>();
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

    private static Logits run(SessionRunner runner, Preprocessor pre, Frame frame, String what, int classes,
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
            return new Logits(what, direct, (int) s[1], (int) s[2], (int) s[3]);
        }
    }
}
