package org.segbench.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class SegmentationModelTest {
    private static final ModelOptions CPU = ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1);

    private static Mat camvidFrame() throws SegbenchException {
        return ImageFiles.readBgr(TestData.CAMVID.resolve("val/0016E5_07959.png"));
    }

    @Test
    void knobIsListedAndChangesTheOutput() throws Exception {
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_fastscnn_cityscapes.onnx"), CPU)) {
            assertEquals(List.of(new Knob("skip_gain", 1.0f)), m.knobs());
            assertEquals(19, m.classCount());
            assertEquals("cityscapes", m.labels().dataset());
            Mat frame = TestData.noise(64, 128);
            Prediction withSkip = m.predict(frame);
            m.setKnob("skip_gain", 0f);
            assertEquals(0f, m.knob("skip_gain"));
            Prediction without = m.predict(frame);
            m.resetKnobs();
            Prediction again = m.predict(frame);
            assertArrayEquals(withSkip.scores().toArray(), again.scores().toArray());
            // the tiny random network's skip path is weak: its effect shows in the scores, not the argmax
            float[] on = withSkip.scores().toArray();
            float[] off = without.scores().toArray();
            double maxChange = 0;
            for (int i = 0; i < on.length; i++) {
                maxChange = Math.max(maxChange, Math.abs(on[i] - off[i]));
            }
            assertTrue(maxChange > 1e-5, "skip_gain 0 must change the output, max score change " + maxChange);
            SegbenchException e = assertThrows(SegbenchException.class, () -> m.setKnob("nope", 1f));
            assertTrue(e.getMessage().contains("skip_gain"), e.getMessage());
        }
    }

    @Test
    void knobCanBeSetAtLoad() throws Exception {
        Mat frame = TestData.noise(64, 128);
        try (SegmentationModel a = SegmentationModel.load(TestData.model("tiny_fastscnn_cityscapes.onnx"),
                CPU.withKnobs(Map.of("skip_gain", 0f)));
             SegmentationModel b = SegmentationModel.load(TestData.model("tiny_fastscnn_cityscapes.onnx"), CPU)) {
            b.setKnob("skip_gain", 0f);
            assertArrayEquals(a.predict(frame).labels().labels(), b.predict(frame).labels().labels());
        }
    }

    @Test
    void scoresAskedPixelByPixelEqualTheFullMap() throws Exception {
        // logits at 96x128 upsampled to the 360x480 frame: the interpolating case
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_camvid.onnx"),
                CPU.withInputSize(new Size(96, 128)))) {
            Mat frame = camvidFrame();
            Prediction lazy = m.predict(frame);
            float[] full = m.predict(frame).scores().toArray();
            assertEquals(360 * 480, full.length);
            for (int y = 0; y < 360; y++) {
                for (int x = 0; x < 480; x++) {
                    assertEquals(full[y * 480 + x], lazy.scores().at(x, y), 0f, "score at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void predictionIsAtSourceResolutionWithScoresAndTimings() throws Exception {
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_camvid.onnx"), CPU)) {
            Mat frame = camvidFrame();
            Prediction p = m.predict(frame);
            assertEquals(480, p.width());
            assertEquals(360, p.height());
            assertEquals(new Size(360, 480), p.inputSize(), "the model's declared input_size is used as is");
            float s = p.scoreAt(10, 10).orElseThrow();
            assertTrue(s >= 1f / 11 - 1e-6 && s <= 1f, "top probability " + s);
            assertTrue(p.timings().inferenceMs() > 0);
            for (byte b : p.labels().labels()) {
                assertTrue((b & 0xFF) < 11);
            }
        }
    }

    @Test
    void dynamicModelsRoundOtherFrameSizesToMultiplesOf32() throws Exception {
        try (SegmentationModel declared = SegmentationModel.load(TestData.model("tiny_camvid.onnx"), CPU);
             SegmentationModel bare = SegmentationModel.load(TestData.model("tiny_no_metadata.onnx"), CPU);
             SegmentationModel sized = SegmentationModel.load(TestData.model("tiny_camvid.onnx"),
                     CPU.withInputSize(new Size(64, 96)))) {
            assertEquals(new Size(288, 416), declared.inputSizeFor(new Size(300, 400)));
            assertEquals(new Size(352, 480), bare.inputSizeFor(new Size(360, 480)), "no input_size declared");
            assertEquals(new Size(64, 96), sized.inputSizeFor(new Size(360, 480)), "--size wins");
            Prediction p = bare.predict(TestData.noise(300, 400));
            assertEquals(new Size(288, 416), p.inputSize());
            assertEquals(new Size(300, 400), p.labels().size());
        }
    }

    @Test
    void lowResolutionLogitsAreUpsampledBeforeArgmax() throws Exception {
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_lowres_logits.onnx"),
                CPU.withInputSize(new Size(64, 96)))) {
            Prediction p = m.predict(TestData.noise(64, 96));
            assertEquals(96, p.width());
            assertEquals(64, p.height());
            // bilinear upsampling of 16x24 logits gives more distinct label runs than blocky 4x4 copies:
            // some 4x4 block must contain more than one label
            boolean mixed = false;
            for (int by = 0; by < 16 && !mixed; by++) {
                for (int bx = 0; bx < 24 && !mixed; bx++) {
                    int first = p.labelAt(bx * 4, by * 4);
                    for (int y = 0; y < 4; y++) {
                        for (int x = 0; x < 4; x++) {
                            mixed |= p.labelAt(bx * 4 + x, by * 4 + y) != first;
                        }
                    }
                }
            }
            assertTrue(mixed, "labels look nearest-neighbour upsampled");
        }
    }

    @Test
    void labelMapOutputIsUsedAsIs() throws Exception {
        Mat frame = camvidFrame();
        try (SegmentationModel labels = SegmentationModel.load(TestData.model("tiny_labelmap.onnx"), CPU)) {
            assertEquals(OutputKind.LABEL_MAP, labels.outputKind());
            assertEquals(11, labels.classCount());
            Prediction p = labels.predict(frame);
            assertEquals(480, p.width());
            assertTrue(p.scoreAt(0, 0).isEmpty());
            int[] histogram = new int[256];
            for (byte b : p.labels().labels()) {
                histogram[b & 0xFF]++;
            }
            for (int v = 11; v < 256; v++) {
                assertEquals(0, histogram[v], "label " + v);
            }
        }
    }

    @Test
    void fixedSizeModelGetsFramesResizedToItsInput() throws Exception {
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_fixed_64x96.onnx"), CPU)) {
            assertEquals(new Size(64, 96), m.fixedInputSize().orElseThrow());
            Prediction p = m.predict(camvidFrame());
            assertEquals(new Size(64, 96), p.inputSize());
            assertEquals(new Size(360, 480), p.labels().size());
        }
    }

    @Test
    void multiOutputPicksTheFirstSegmentationOutputOrTheNamedOne() throws Exception {
        Path model = TestData.model("tiny_multi_output.onnx");
        try (SegmentationModel m = SegmentationModel.load(model, CPU)) {
            assertEquals("logits", m.output().name());
            assertEquals(2, m.outputs().size());
        }
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> SegmentationModel.load(model, CPU.withOutput("scores")));
        assertTrue(e.getMessage().contains("not segmentation-shaped"), e.getMessage());
        e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(model, CPU.withOutput("missing")));
        assertTrue(e.getMessage().contains("no output named"), e.getMessage());
    }

    @Test
    void classifierIsRejected() {
        Path model = TestData.model("tiny_classifier.onnx");
        SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(model, CPU));
        assertEquals(model, e.file().orElseThrow());
        assertTrue(e.problem().startsWith("no segmentation-shaped output"), e.problem());
    }

    @Test
    void missingMetadataFallsBackOnDefaultsByClassCount() throws Exception {
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_no_metadata.onnx"), CPU)) {
            assertEquals(ModelMetadata.Source.DEFAULTS, m.metadata().source());
            assertEquals(LabelSet.camvid(), m.labels());
            assertEquals("tiny_no_metadata", m.name());
        }
    }

    @Test
    void sidecarMetadataIsReadWhenTheModelHasNone(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("m.onnx");
        Files.copy(TestData.model("tiny_no_metadata.onnx"), copy);
        Files.writeString(dir.resolve("m.onnx.json"), "{\"name\": \"Sidecar Net\", \"dataset\": \"camvid\","
                + " \"classes\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"],"
                + " \"ignore_index\": 11, \"mean\": [0.5, 0.5, 0.5], \"std\": [0.5, 0.5, 0.5]}");
        try (SegmentationModel m = SegmentationModel.load(copy, CPU)) {
            assertEquals(ModelMetadata.Source.SIDECAR, m.metadata().source());
            assertEquals("Sidecar Net", m.name());
            assertEquals("k", m.labels().name(10));
            assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, m.metadata().mean());
            assertEquals(LabelSet.camvid().rgb(3), m.labels().rgb(3), "palette defaults by class count");
        }
    }

    @Test
    void aBrokenSidecarIsNamedInTheError(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("m.onnx");
        Files.copy(TestData.model("tiny_no_metadata.onnx"), copy);
        Path sidecar = dir.resolve("m.onnx.json");
        Files.writeString(sidecar, "{\"classes\": [\"a\", ");
        SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(copy, CPU));
        assertEquals(sidecar, e.file().orElseThrow());
        assertTrue(e.problem().startsWith("unreadable sidecar metadata"), e.problem());
        Files.writeString(sidecar, "{\"classes\": [\"a\", \"b\"]}");
        e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(copy, CPU));
        assertEquals(sidecar + ": metadata lists 2 classes but the model outputs 11", e.getMessage());
    }

    @Test
    void metadataOfTheZooExportIsRead() throws Exception {
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_camvid.onnx"), CPU)) {
            assertEquals(ModelMetadata.Source.ONNX_METADATA, m.metadata().source());
            assertEquals(LabelSet.camvid().classes(), m.labels().classes());
            assertEquals(new Size(360, 480), m.metadata().inputSize().orElseThrow());
            assertTrue(m.parameterCount() > 0);
            assertEquals(Provider.CPU, m.provider());
        }
    }

    @Test
    void datasetOverrideMustFitTheClassCount() {
        SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(
                TestData.model("tiny_camvid.onnx"), CPU.withDataset("cityscapes")));
        assertTrue(e.problem().contains("11 classes"), e.problem());
    }

    @Test
    void notOnnxAndMissingFilesAreRejectedWithTheFileName(@TempDir Path dir)
            throws Exception {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is not a model\n");
        SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(text, CPU));
        assertEquals(text, e.file().orElseThrow());
        assertTrue(e.problem().startsWith("not an ONNX model"), e.problem());

        Path png = TestData.CAMVID.resolve("val/0016E5_07959.png");
        e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(png, CPU));
        assertTrue(e.problem().startsWith("not an ONNX model"), e.problem());

        Path missing = dir.resolve("missing.onnx");
        e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(missing, CPU));
        assertEquals(missing + ": no such model file", e.getMessage());
    }

    @Test
    void autoProviderUsesCudaOrSaysWhyNot() throws Exception {
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_camvid.onnx"),
                ModelOptions.defaults().withThreads(1))) {
            Optional<String> why = SegmentationModel.cudaUnavailableReason();
            if (why.isPresent()) {
                // the default (CPU) build of ONNX Runtime: CPU, with the reason recorded
                assertEquals(Provider.CPU, m.provider());
                assertTrue(m.providerNote().startsWith("CUDA not available"), m.providerNote());
                assertTrue(m.providerNote().contains(why.get()), why.get());
                SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(
                        TestData.model("tiny_camvid.onnx"), ModelOptions.defaults().withProvider(Provider.CUDA)));
                assertTrue(e.problem().startsWith("CUDA not available"), e.problem());
            } else {
                assertEquals(Provider.CUDA, m.provider());
            }
        }
    }
}
