package org.segbench.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import org.segbench.engine.frame.Preprocessor;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's labels for a model whose logits are 1/4 of the input size equal an independent
 * computation: ONNX Runtime called directly, each class plane resized by OpenCV (bilinear), argmax.
 */
class LowResolutionLogitsTest {

    @Test
    void labelsEqualOpenCvBilinearUpsamplingOfTheRawLogits() throws Exception {
        OpenCv.load();
        Mat frame = new Mat(64, 96, CvType.CV_8UC3);
        Core.setRNGSeed(11);
        Core.randu(frame, 0, 256);
        Size size = new Size(64, 96);
        ModelOptions cpu = ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1).withScores(false);
        Path file = TestData.model("tiny_lowres_logits.onnx");
        byte[] engine;
        float[] mean;
        float[] std;
        try (SegmentationModel model = SegmentationModel.load(file, cpu)) {
            engine = model.predict(frame).labels().labels();
            mean = model.metadata().mean();
            std = model.metadata().std();
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] logits;
        long[] shape;
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            FloatBuffer input = new Preprocessor(mean, std).apply(frame, size);
            try (OnnxTensor t = OnnxTensor.createTensor(env, input, new long[] {1, 3, 64, 96});
                 OrtSession.Result r = session.run(Map.of("image", t))) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                shape = out.getInfo().getShape();
                FloatBuffer fb = out.getFloatBuffer();
                logits = new float[fb.remaining()];
                fb.get(logits);
            }
        }
        assertArrayEquals(new long[] {1, 11, 16, 24}, shape, "the fixture's logits are at 1/4 resolution");

        int classes = 11;
        int plane = 16 * 24;
        float[] best = new float[64 * 96];
        byte[] expected = new byte[64 * 96];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < classes; c++) {
            Mat low = new Mat(16, 24, CvType.CV_32F);
            low.put(0, 0, Arrays.copyOfRange(logits, c * plane, (c + 1) * plane));
            Mat up = new Mat();
            Imgproc.resize(low, up, new org.opencv.core.Size(96, 64), 0, 0, Imgproc.INTER_LINEAR);
            float[] v = new float[64 * 96];
            up.get(0, 0, v);
            for (int i = 0; i < v.length; i++) {
                if (v[i] > best[i]) {
                    best[i] = v[i];
                    expected[i] = (byte) c;
                }
            }
        }
        int differ = 0;
        int nearestDiffer = 0;
        for (int i = 0; i < expected.length; i++) {
            differ += expected[i] != engine[i] ? 1 : 0;
            int y = i / 96;
            int x = i % 96;
            int nearest = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[c * plane + (y / 4) * 24 + x / 4] > logits[nearest * plane + (y / 4) * 24 + x / 4]) {
                    nearest = c;
                }
            }
            nearestDiffer += expected[i] != nearest ? 1 : 0;
        }
        // OpenCV's float resize may round differently at near-ties; anything more is a real difference
        assertTrue(differ <= expected.length / 200, differ + " of " + expected.length + " pixels differ");
        // and the check can tell: argmax at low resolution copied up (no interpolation) differs a lot
        assertTrue(nearestDiffer > 20 * Math.max(1, differ), "nearest differs at " + nearestDiffer + ", engine at "
                + differ);
    }
}
