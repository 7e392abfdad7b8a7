package org.segbench.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.segbench.engine.frame.ChannelOrder;
import org.segbench.engine.frame.TensorLayout;
import org.segbench.engine.metrics.EvalPair;
import org.segbench.engine.metrics.Evaluation;
import org.segbench.engine.metrics.GroundTruthFormat;
import org.segbench.engine.metrics.IouReport;
import org.segbench.engine.source.ImageFiles;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Models in other people's conventions (issue 16; made by {@code python -m zoo
 * export-foreign-test-models}): each one's labels equal a direct ONNX Runtime run on a tensor this
 * test builds itself from the frame's bytes, pixel for pixel. Frames are the model's input size, so
 * the engine's labels are the plain argmax of the output.
 */
class ForeignModelsTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final int H = 64;
    private static final int W = 96;
    private static final Path CITYSCAPES_TO_CAMVID = TestData.REPO.resolve("assets/class-maps/cityscapes-to-camvid.json");

    private static ModelOptions cpu() {
        return ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1);
    }

    /** {@code (v/255 - mean)/std} of the frame's bytes, in the given layout and channel order, written out by hand. */
    private static float[] tensor(Mat bgr, float[] mean, float[] std, TensorLayout layout, ChannelOrder order) {
        byte[] px = new byte[H * W * 3];
        bgr.get(0, 0, px);
        float[] out = new float[H * W * 3];
        for (int i = 0; i < H * W; i++) {
            for (int c = 0; c < 3; c++) {
                // c is the network's channel; rgb channel r = 0, g = 1, b = 2; the frame stores b, g, r
                int rgb = order == ChannelOrder.RGB ? c : 2 - c;
                float v = ((px[i * 3 + (2 - rgb)] & 0xFF) / 255f - mean[rgb]) / std[rgb];
                out[layout == TensorLayout.NCHW ? c * H * W + i : i * 3 + c] = v;
            }
        }
        return out;
    }

    /** The argmax labels of a direct run of {@code model} on {@code input}. */
    private static byte[] direct(Path model, String inputName, float[] input, long[] shape, boolean half,
                                 TensorLayout outputLayout) throws OrtException {
        try (OrtSession session = ENV.createSession(model.toString(), new OrtSession.SessionOptions())) {
            OnnxTensor t;
            if (half) {
                short[] h = new short[input.length];
                for (int i = 0; i < h.length; i++) {
                    h[i] = Fp16Conversions.floatToFp16(input[i]);
                }
                t = OnnxTensor.createTensor(ENV, ShortBuffer.wrap(h), shape, OnnxJavaType.FLOAT16);
            } else {
                t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(input), shape);
            }
            try (t; OrtSession.Result r = session.run(Map.of(inputName, t))) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                long[] s = out.getInfo().getShape();
                int classes = (int) (outputLayout == TensorLayout.NCHW ? s[1] : s[3]);
                float[] scores = new float[(int) (s[1] * s[2] * s[3])];
                if (out.getInfo().type == OnnxJavaType.FLOAT16) {
                    ShortBuffer b = out.getShortBuffer();
                    for (int i = 0; i < scores.length; i++) {
                        scores[i] = Fp16Conversions.fp16ToFloat(b.get(i));
                    }
                } else {
                    out.getFloatBuffer().get(scores);
                }
                byte[] labels = new byte[H * W];
                for (int i = 0; i < H * W; i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (at(scores, outputLayout, classes, c, i) > at(scores, outputLayout, classes, best, i)) {
                            best = c;
                        }
                    }
                    labels[i] = (byte) best;
                }
                return labels;
            }
        }
    }

    private static float at(float[] scores, TensorLayout layout, int classes, int c, int pixel) {
        return layout == TensorLayout.NCHW ? scores[c * H * W + pixel] : scores[pixel * classes + c];
    }

    private static byte[] predict(SegmentationModel m, Mat frame) throws SegbenchException {
        return m.predict(frame).labels().labels();
    }

    @Test
    void nhwcBgr255ModelDetectedAndEqualToDirectRun() throws Exception {
        Path file = TestData.model("foreign_nhwc_bgr255.onnx");
        Mat frame = TestData.noise(H, W);
        try (SegmentationModel m = SegmentationModel.load(file, cpu())) {
            // layout from the shapes; BGR and the 0-255 scale from its sidecar
            assertEquals(TensorLayout.NHWC, m.inputLayout());
            assertEquals(TensorLayout.NHWC, m.outputLayout());
            assertFalse(m.layoutGiven());
            assertEquals(ChannelOrder.BGR, m.channelOrder());
            assertEquals(ModelMetadata.Source.SIDECAR, m.metadata().source());
            float[] input = tensor(frame, m.metadata().mean(), m.metadata().std(), TensorLayout.NHWC, ChannelOrder.BGR);
            // the tensor really is the raw 0-255 BGR bytes (within float rounding)
            byte[] px = new byte[3];
            frame.get(0, 0, px);
            assertEquals(px[0] & 0xFF, input[0], 1e-3);
            byte[] expected = direct(file, "data", input, new long[] {1, H, W, 3}, false, TensorLayout.NHWC);
            assertArrayEquals(expected, predict(m, frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void nhwcModelWithoutSidecarTakesFlagsAndRefusesAWrongLayout(@TempDir Path dir) throws Exception {
        Path file = Files.copy(TestData.model("foreign_nhwc_bgr255.onnx"), dir.resolve("tf.onnx"));
        float third = 1f / 255f;
        ModelOptions flags = cpu().withChannelOrder(ChannelOrder.BGR)
                .withNormalisation(new float[] {0, 0, 0}, new float[] {third, third, third});
        Mat frame = TestData.noise(H, W);
        try (SegmentationModel m = SegmentationModel.load(file, flags);
             SegmentationModel forced = SegmentationModel.load(file, flags.withLayout(TensorLayout.NHWC))) {
            assertEquals(ModelMetadata.Source.DEFAULTS, m.metadata().source());
            float[] input = tensor(frame, m.metadata().mean(), m.metadata().std(), TensorLayout.NHWC, ChannelOrder.BGR);
            byte[] expected = direct(file, "data", input, new long[] {1, H, W, 3}, false, TensorLayout.NHWC);
            assertArrayEquals(expected, predict(m, frame));
            assertTrue(forced.layoutGiven());
            assertArrayEquals(expected, predict(forced, frame));
            // RGB instead of BGR feeds other values: the labels must change somewhere
            try (SegmentationModel rgb = SegmentationModel.load(file, flags.withChannelOrder(ChannelOrder.RGB))) {
                assertFalse(java.util.Arrays.equals(expected, predict(rgb, frame)));
            }
        } finally {
            frame.release();
        }
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> SegmentationModel.load(file, flags.withLayout(TensorLayout.NCHW)));
        assertTrue(e.getMessage().contains("layout nchw given"), e.getMessage());
    }

    @Test
    void subnormalWeightsFlushedWithLabelsEqualToADirectRunOfTheFileAsItIs() throws Exception {
        Path file = TestData.model("foreign_subnormal_weights.onnx");
        Mat frame = TestData.noise(H, W);
        try (SegmentationModel m = SegmentationModel.load(file, cpu())) {
            assertTrue(m.subnormalWeights() > 100, "subnormals " + m.subnormalWeights());
            assertTrue(m.subnormalsFlushed());
            float[] input = tensor(frame, m.metadata().mean(), m.metadata().std(), TensorLayout.NCHW, ChannelOrder.RGB);
            byte[] expected = direct(file, "input", input, new long[] {1, 3, H, W}, false, TensorLayout.NCHW);
            assertArrayEquals(expected, predict(m, frame));
        } finally {
            frame.release();
        }
        try (SegmentationModel plain = SegmentationModel.load(TestData.model("foreign_void_camvid.onnx"), cpu())) {
            assertEquals(0, plain.subnormalWeights());
            assertFalse(plain.subnormalsFlushed());
        }
    }

    @Test
    void voidModelAcceptedOnCamvidWithVoidAppended() throws Exception {
        Path file = TestData.model("foreign_void_camvid.onnx");
        Mat frame = TestData.noise(H, W);
        try (SegmentationModel m = SegmentationModel.load(file, cpu().withDataset("camvid"))) {
            assertEquals(12, m.classCount());
            assertEquals(12, m.labels().size());
            assertEquals(LabelSet.camvid().classes(), m.labels().classes().subList(0, 11));
            assertEquals("void", m.labels().name(11));
            assertEquals(0x000000, m.labels().rgb(11));
            float[] input = tensor(frame, m.metadata().mean(), m.metadata().std(), TensorLayout.NCHW, ChannelOrder.RGB);
            byte[] expected = direct(file, "input", input, new long[] {1, 3, H, W}, false, TensorLayout.NCHW);
            byte[] labels = predict(m, frame);
            assertArrayEquals(expected, labels);
            // the fixture predicts void somewhere, so the rule is exercised
            assertTrue(new String(labels, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(11) >= 0);
            new Evaluation(m, LabelSet.camvid(), 0); // accepted: one class more than the dataset
        } finally {
            frame.release();
        }
        // no metadata and no flag: 12 classes default to CamVid and void
        try (SegmentationModel m = SegmentationModel.load(file, cpu())) {
            assertEquals(LabelSet.camvid().withVoid("void"), m.labels());
        }
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> SegmentationModel.load(file, cpu().withDataset("cityscapes")));
        assertTrue(e.getMessage().contains("model has 12 classes, dataset cityscapes has 19"), e.getMessage());
    }

    @Test
    void halfPrecisionInAndOutEqualToDirectRun() throws Exception {
        Path file = TestData.model("foreign_fp16.onnx");
        Mat frame = TestData.noise(H, W);
        try (SegmentationModel m = SegmentationModel.load(file, cpu())) {
            assertEquals("float16", m.imageInput().type());
            assertEquals("float16", m.output().type());
            assertEquals(11, m.classCount()); // learnt by a float16 probe run: the graph leaves it open
            float[] input = tensor(frame, m.metadata().mean(), m.metadata().std(), TensorLayout.NCHW, ChannelOrder.RGB);
            byte[] expected = direct(file, "input", input, new long[] {1, 3, H, W}, true, TensorLayout.NCHW);
            Prediction p = m.predict(frame);
            assertArrayEquals(expected, p.labels().labels());
            float score = p.scoreAt(5, 5).orElseThrow();
            assertTrue(score > 0 && score <= 1, "score " + score);
            // again at the same size (a second run must not reuse anything stale), and at another size
            assertArrayEquals(expected, predict(m, frame));
            Mat other = TestData.noise(50, 70);
            try {
                LabelMap l = m.predict(other).labels();
                assertEquals(50 * 70, l.labels().length);
            } finally {
                other.release();
            }
        } finally {
            frame.release();
        }
    }

    @Test
    void cityscapesModelThroughTheShippedMapEqualsTheMappedDirectRun() throws Exception {
        Path file = TestData.model("foreign_cityscapes19.onnx");
        ClassMap map = ClassMap.read(CITYSCAPES_TO_CAMVID);
        ClassMap.Applied applied = map.apply(LabelSet.cityscapes(), LabelSet.camvid());
        byte[] table = applied.table();
        Mat frame = TestData.noise(H, W);
        try (SegmentationModel m = SegmentationModel.load(file, cpu().withClassMap(map))) {
            assertEquals(19, m.classCount());
            assertEquals(LabelSet.camvid(), m.labels()); // every class mapped, none ignored
            float[] input = tensor(frame, m.metadata().mean(), m.metadata().std(), TensorLayout.NCHW, ChannelOrder.RGB);
            byte[] expected = direct(file, "input", input, new long[] {1, 3, H, W}, false, TensorLayout.NCHW);
            for (int i = 0; i < expected.length; i++) {
                expected[i] = table[expected[i]];
            }
            assertArrayEquals(expected, predict(m, frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void cityscapesModelScoresOnCamvidGroundTruthThroughTheShippedMap() throws Exception {
        Path file = TestData.model("foreign_cityscapes19.onnx");
        Path image = TestData.CAMVID.resolve("val/0016E5_07959.png");
        Path label = TestData.CAMVID.resolve("valannot/0016E5_07959.png");
        try (SegmentationModel m = SegmentationModel.load(file, cpu().withClassMap(ClassMap.read(CITYSCAPES_TO_CAMVID)))) {
            Evaluation eval = new Evaluation(m, LabelSet.camvid(), 0);
            Prediction p = eval.add(new EvalPair(image, label), GroundTruthFormat.CAMVID);
            IouReport r = eval.report();
            // the report's pixel accuracy is the share of scored pixels the mapped prediction gets right
            byte[] gt = GroundTruthFormat.CAMVID.read(label).labels();
            byte[] pred = p.labels().labels();
            long counted = 0;
            long right = 0;
            for (int i = 0; i < gt.length; i++) {
                if ((gt[i] & 0xFF) < 11) {
                    counted++;
                    right += gt[i] == pred[i] ? 1 : 0;
                }
            }
            assertTrue(counted > 0);
            assertEquals((double) right / counted, r.pixelAccuracy(), 1e-9);
            assertTrue(Double.isFinite(r.meanIou()));
        }
        // without the map the 19 classes do not fit CamVid
        try (SegmentationModel m = SegmentationModel.load(file, cpu())) {
            assertThrows(SegbenchException.class, () -> new Evaluation(m, LabelSet.camvid(), 0));
        }
    }

    @Test
    void classMapIgnoreCountsAsNoDatasetClass(@TempDir Path dir) throws Exception {
        Path file = TestData.model("foreign_cityscapes19.onnx");
        Mat frame = TestData.noise(H, W);
        try {
            float[] input = tensor(frame, ModelMetadata.IMAGENET_MEAN, ModelMetadata.IMAGENET_STD, TensorLayout.NCHW,
                    ChannelOrder.RGB);
            byte[] raw = direct(file, "input", input, new long[] {1, 3, H, W}, false, TensorLayout.NCHW);
            // a CSV map by class index that ignores a class the fixture does predict (the first pixel's)
            int ignored = raw[0];
            String[] to = {"road", "sidewalk", "building", "building", "fence", "pole", "sign/symbol", "sign/symbol",
                    "tree", "tree", "sky", "pedestrian", "bicyclist", "car", "car", "car", "car", "bicyclist",
                    "bicyclist"};
            to[ignored] = "ignore";
            StringBuilder csv = new StringBuilder("# to: camvid\n");
            for (int c = 0; c < 19; c++) {
                csv.append(c).append(',').append(to[c]).append('\n');
            }
            Path mapFile = Files.writeString(dir.resolve("map.csv"), csv.toString());
            try (SegmentationModel m = SegmentationModel.load(file, cpu().withClassMap(ClassMap.read(mapFile)))) {
                assertEquals(12, m.labels().size());
                assertEquals("ignore", m.labels().name(11));
                byte[] labels = predict(m, frame);
                for (int i = 0; i < raw.length; i++) {
                    int want = raw[i] == ignored ? 11 : LabelSet.camvid().classes().indexOf(to[raw[i]]);
                    assertEquals(want, labels[i], "pixel " + i);
                }
            }
        } finally {
            frame.release();
        }
    }
}
