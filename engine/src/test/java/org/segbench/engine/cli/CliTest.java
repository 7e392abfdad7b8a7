package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Prediction;
import org.segbench.engine.Provider;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.TestData;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The segbench command line end to end: real models, real data from ../shared, real files out. */
class CliTest {
    private static final String CAMVID_MODEL = TestData.model("tiny_camvid.onnx").toString();
    private static final String FASTSCNN = TestData.model("tiny_fastscnn_cityscapes.onnx").toString();



    @Test
    void evalOnFiveCamvidValImagesWritesTableJsonAndPredictions(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("eval.json");
        Path preds = dir.resolve("pred");
        Segbench.Result r = Segbench.run("eval", "--model", CAMVID_MODEL, "--list", TestData.CAMVID.resolve("val.txt").toString(),
                "--dataset", "camvid", "--limit", "5", "--save-pred", preds.toString(), "--json", json.toString(),
                "--provider", "cpu", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("mIoU"), r.out());
        assertTrue(r.out().contains("sidewalk"), r.out());

        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("camvid", j.get("dataset").asText());
        assertEquals(5, j.get("frames").asInt());
        assertTrue(j.get("model").asText().endsWith("tiny_camvid.onnx"));
        assertEquals(11, j.get("classes").size());
        double sum = 0;
        int n = 0;
        for (JsonNode c : j.get("classes")) {
            assertTrue(c.has("name") && c.has("iou") && c.has("accuracy"), c.toString());
            if (!c.get("iou").isNull()) {
                double iou = c.get("iou").asDouble();
                assertTrue(iou >= 0 && iou <= 1);
                sum += iou;
                n++;
            }
        }
        assertEquals(sum / n, j.get("miou").asDouble(), 1e-9, "mIoU is the mean over classes with an IoU");
        double pa = j.get("pixel_accuracy").asDouble();
        assertTrue(pa > 0 && pa <= 1);
        assertTrue(j.get("fps").asDouble() > 0);
        for (String stage : List.of("preprocess", "inference", "postprocess")) {
            assertTrue(j.get("latency_ms").get(stage).asDouble() > 0, stage);
        }

        List<String> lines = Files.readAllLines(TestData.CAMVID.resolve("val.txt")).subList(0, 5);
        for (String line : lines) {
            Path image = TestData.CAMVID.resolve(line.split("\\s+")[0]);
            Path png = preds.resolve(image.getFileName());
            Mat saved = ImageFiles.readUnchanged(png);
            assertEquals(CvType.CV_8UC1, saved.type(), png.toString());
            assertEquals(480, saved.cols());
            assertEquals(360, saved.rows());
            byte[] values = new byte[480 * 360];
            saved.get(0, 0, values);
            // the saved map is exactly what the model predicts for that image
            try (SegmentationModel m = SegmentationModel.load(Path.of(CAMVID_MODEL),
                    ModelOptions.defaults().withProvider(Provider.CPU).withScores(false))) {
                Prediction p = m.predict(ImageFiles.readBgr(image));
                assertArrayEquals(p.labels().labels(), values, png.toString());
            }
        }
    }

    @Test
    void evalSaysWhichFramesTheModelWasTrainedOn(@TempDir Path dir) throws Exception {
        // A model whose sidecar lists two of the three val images scored (and one image not scored).
        Path model = dir.resolve("m.onnx");
        Files.copy(TestData.model("tiny_no_metadata.onnx"), model);
        List<String> val = Files.readAllLines(TestData.CAMVID.resolve("val.txt")).subList(0, 3).stream()
                .map(line -> Path.of(line.split("\\s+")[0]).getFileName().toString()).toList();
        Files.writeString(dir.resolve("m.onnx.json"), "{\"dataset\": \"camvid\", \"training_images\": [\""
                + val.get(0) + "\", \"" + val.get(2).replace(".png", "") + "\", \"0001TP_006690\"]}");
        Path json = dir.resolve("eval.json");
        Segbench.Result r = Segbench.run("eval", "--model", model.toString(), "--list",
                TestData.CAMVID.resolve("val.txt").toString(), "--dataset", "camvid", "--limit", "3", "--json", json.toString(),
                "--provider", "cpu", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 of 3 frames are images m was trained on"), r.out());
        assertEquals(2, new ObjectMapper().readTree(json.toFile()).get("seen_in_training").asInt());

        Segbench.Result plain = Segbench.run("eval", "--model", CAMVID_MODEL, "--list",
                TestData.CAMVID.resolve("val.txt").toString(), "--dataset", "camvid", "--limit", "1", "--json", json.toString(),
                "--provider", "cpu", "--threads", "1");
        assertFalse(plain.out().contains("seen in training"), plain.out());
        assertEquals(0, new ObjectMapper().readTree(json.toFile()).get("seen_in_training").asInt());
    }

    @Test
    void evalRejectsAModelWhoseClassesDoNotFitTheDataset() {
        Segbench.Result r = Segbench.run("eval", "--model", FASTSCNN, "--list", TestData.CAMVID.resolve("val.txt").toString(),
                "--dataset", "camvid", "--limit", "2", "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertEquals("segbench: " + FASTSCNN + ": model has 19 classes but camvid has 11", r.err().strip());
    }

    @Test
    void evalSkipsAndCountsGroundTruthOfTheWrongSize(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        for (String name : List.of("0016E5_07959.png", "0016E5_07961.png", "0016E5_07963.png")) {
            Files.copy(TestData.CAMVID.resolve("val").resolve(name), images.resolve(name));
            Files.copy(TestData.CAMVID.resolve("valannot").resolve(name), labels.resolve(name));
        }
        Mat small = new Mat(100, 120, CvType.CV_8UC1);
        small.setTo(new org.opencv.core.Scalar(3));
        Path wrong = labels.resolve("0016E5_07961.png");
        ImageFiles.write(wrong, small);
        Path json = dir.resolve("e.json");
        Segbench.Result r = Segbench.run("eval", "--model", CAMVID_MODEL, "--images", images.toString(), "--labels",
                labels.toString(), "--dataset", "camvid", "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains(wrong + ": ground truth is 100x120 but the image is 360x480"), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, j.get("frames").asInt());
        assertEquals(1, j.get("skipped").asInt());
        assertTrue(r.out().contains("1 skipped"), r.out());
    }

    @Test
    void runOnAFolderSkipsTheBadImageAndFinishes(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(TestData.CAMVID.resolve("val/0016E5_07959.png"), in.resolve("a.png"));
        Files.writeString(in.resolve("b.png"), "corrupt");
        Files.copy(TestData.CAMVID.resolve("val/0016E5_07961.png"), in.resolve("c.png"));
        Path out = dir.resolve("out");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", in.toString(), "--out", out.toString(),
                "--side-by-side", "--legend", "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains(in.resolve("b.png") + ": not a readable image"), r.err());
        assertTrue(r.out().startsWith("2 frames from"), r.out());
        assertTrue(r.out().contains("1 skipped"), r.out());
        for (String f : List.of("a_mask.png", "a_overlay.png", "c_mask.png", "c_overlay.png", "a_side_by_side.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Mat sbs = ImageFiles.readBgr(out.resolve("a_side_by_side.png"));
        assertEquals(360, sbs.rows());
        assertTrue(sbs.cols() > 2 * 480, "frame + overlay + legend");
        assertFalse(Files.exists(out.resolve("b_mask.png")));
    }

    @Test
    void runOnAVideoWithTwoModelsWritesMp4s(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--model", FASTSCNN, "--set", "skip_gain=0",
                "--input", TestData.VTEST.toString(), "--out", out.toString(), "--limit", "6", "--side-by-side",
                "--size", "288x384", "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        for (String f : List.of("vtest_tiny_camvid_overlay.mp4", "vtest_tiny_fastscnn_cityscapes_mask.mp4",
                "vtest_side_by_side.mp4")) {
            Path mp4 = out.resolve(f);
            assertTrue(Files.isRegularFile(mp4), f + " in " + r.out());
            try (FrameSource s = FrameSources.open(mp4)) {
                int n = 0;
                while (s.next().isPresent()) {
                    n++;
                }
                assertEquals(6, n, f);
            }
        }
    }

    @Test
    void runRejectsAnUnknownKnob(@TempDir Path dir) {
        Segbench.Result r = Segbench.run("run", "--model", FASTSCNN, "--set", "gain=0", "--input",
                TestData.CAMVID.resolve("val/0016E5_07959.png").toString(), "--out", dir.toString(), "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertEquals("segbench: " + FASTSCNN + ": no knob named 'gain'; knobs: skip_gain", r.err().strip());
    }

    @Test
    void unreadableVideoIsOneLineAndNonZero(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("clip.mp4");
        Files.write(bad, new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 0, 1, 2, 3});
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", bad.toString(), "--out", dir.toString(),
                "--provider", "cpu");
        assertEquals(1, r.exitCode());
        String err = r.err().strip();
        assertTrue(err.startsWith("segbench: " + bad + ": unreadable video"), err);
        assertFalse(err.contains("\n"), err);
    }

    @Test
    void infoListsKnobsAndRejectsNonModels(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("info.json");
        Segbench.Result r = Segbench.run("info", FASTSCNN, "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("skip_gain = 1.0"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(1.0, j.get("knobs").get("skip_gain").asDouble());
        assertEquals(19, j.get("classes").asInt());
        assertTrue(j.get("parameters").asLong() > 1000);
        assertEquals(0, j.get("subnormal_weights").asLong());
        assertFalse(r.out().contains("Subnormals"), r.out());

        Path subnormal = TestData.model("foreign_subnormal_weights.onnx");
        Segbench.Result s = Segbench.run("info", subnormal.toString(), "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, s.exitCode(), s.err());
        long count = new ObjectMapper().readTree(json.toFile()).get("subnormal_weights").asLong();
        assertTrue(count > 100, "subnormal_weights " + count);
        assertTrue(s.out().contains(String.format("Subnormals  %,d weights", count)), s.out());
        assertTrue(s.out().contains("flushed to zero at load"), s.out());

        Segbench.Result bad = Segbench.run("info", TestData.CAMVID.resolve("val.txt").toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().strip().matches("segbench: .*val\\.txt: not an ONNX model.*"), bad.err());

        Segbench.Result classifier = Segbench.run("info", TestData.model("tiny_classifier.onnx").toString(), "--provider", "cpu");
        assertEquals(1, classifier.exitCode());
        assertTrue(classifier.err().contains("no segmentation-shaped output"), classifier.err());
    }

    @Test
    void benchReportsFps(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Segbench.Result r = Segbench.run("bench", "--model", FASTSCNN, "--size", "64x128", "--warmup", "2", "--frames", "5",
                "--provider", "cpu", "--threads", "1", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("FPS"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(5, j.get("frames").asInt());
        JsonNode e2e = j.get("end_to_end");
        assertTrue(e2e.get("median_ms").asDouble() > 0);
        assertTrue(e2e.get("p90_ms").asDouble() >= e2e.get("median_ms").asDouble());
        assertEquals(1000 / e2e.get("mean_ms").asDouble(), j.get("fps").asDouble(), 1e-6);
    }

    @Test
    void evalAgainstAReferenceModelWithoutGroundTruth(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("ref.json");
        Segbench.Result same = Segbench.run("eval", "--model", CAMVID_MODEL, "--reference", CAMVID_MODEL, "--images",
                TestData.CAMVID.resolve("val").toString(), "--limit", "2", "--json", json.toString(),
                "--provider", "cpu");
        assertEquals(0, same.exitCode(), same.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, j.get("frames").asInt());
        assertEquals(1.0, j.get("pixel_accuracy").asDouble(), 1e-12, "a model agrees with itself");
        assertEquals(1.0, j.get("miou").asDouble(), 1e-12);

        Segbench.Result mismatch = Segbench.run("eval", "--model", FASTSCNN, "--reference", CAMVID_MODEL, "--images",
                TestData.CAMVID.resolve("val").toString(), "--limit", "1", "--provider", "cpu");
        assertEquals(1, mismatch.exitCode());
        assertTrue(mismatch.err().contains("model has 19 classes"), mismatch.err());
    }

    @Test
    void runOnSeveralImagesNamesOutputsAfterEach(@TempDir Path dir) {
        Path out = dir.resolve("out");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input",
                TestData.CAMVID.resolve("val/0016E5_07959.png").toString(), "--input",
                TestData.CAMVID.resolve("val/0016E5_07961.png").toString(), "--out", out.toString(),
                "--alpha", "0.3", "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("2 frames from 2 images"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("0016E5_07961_overlay.png")));
        assertTrue(Files.isRegularFile(out.resolve("0016E5_07959_mask.png")));
    }

    @Test
    void aSingleCorruptImageIsAOneLineErrorAndNonZero(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("street.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", bad.toString(), "--out",
                dir.resolve("out").toString(), "--provider", "cpu");
        assertEquals(1, r.exitCode());
        // a PNG signature and nothing after it: cut short, said before libpng could print its own error
        assertEquals("segbench: " + bad + ": not a readable image: truncated PNG (no IEND chunk)", r.err().strip());
        Path missing = dir.resolve("missing.png");
        r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", missing.toString(), "--out", dir.toString(),
                "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertEquals("segbench: " + missing + ": no such file or folder", r.err().strip());
    }

    @Test
    void classesFlagReplacesTheModelsLabelSetWhenTheCountFits() {
        String noMeta = TestData.model("tiny_no_metadata.onnx").toString();
        Segbench.Result ok = Segbench.run("info", noMeta, "--classes", "camvid", "--provider", "cpu");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("11 (camvid, ignore 11): sky, building"), ok.out());
        Segbench.Result wrong = Segbench.run("info", noMeta, "--classes", "cityscapes", "--provider", "cpu");
        assertEquals(1, wrong.exitCode());
        assertEquals("segbench: " + noMeta + ": model has 11 classes, dataset cityscapes has 19", wrong.err().strip());
        Segbench.Result unknown = Segbench.run("info", noMeta, "--classes", "ade20k", "--provider", "cpu");
        assertEquals(1, unknown.exitCode());
        assertEquals("segbench: unknown dataset 'ade20k' (camvid or cityscapes)", unknown.err().strip());
    }

    @Test
    void evalOnTheCityscapesSampleReadsColourGroundTruth(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("city.json");
        String sample = TestData.CITYSCAPES_SAMPLE.toString();
        Segbench.Result r = Segbench.run("eval", "--model", FASTSCNN, "--images", sample, "--labels", sample, "--dataset",
                "cityscapes", "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, j.get("frames").asInt(), "the gtFine_color file is ground truth, not a frame");
        assertEquals(19, j.get("classes").size());
        assertEquals("road", j.get("classes").get(0).get("name").asText());
        int withIou = 0;
        for (JsonNode c : j.get("classes")) {
            withIou += c.get("iou").isNull() ? 0 : 1;
        }
        assertTrue(withIou >= 5 && withIou <= 19, withIou + " classes with an IoU");
        assertEquals(0, j.get("skipped").asInt());
    }
}
