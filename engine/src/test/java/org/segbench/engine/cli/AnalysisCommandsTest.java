package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Prediction;
import org.segbench.engine.Provider;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.TestData;
import org.segbench.engine.metrics.BoundaryBand;
import org.segbench.engine.metrics.ConfusionMatrix;
import org.segbench.engine.metrics.GroundTruthFormat;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eval's per-image rows, boundary IoU and confusion matrix, and run --save-confidence, end to end. */
class AnalysisCommandsTest {
    private static final String CAMVID_MODEL = TestData.model("tiny_camvid.onnx").toString();
    private static final Path VAL_LIST = TestData.CAMVID.resolve("val.txt");

    @Test
    void twoModelsGivePerImageRowsWithDisagreementAndAJsonArray(@TempDir Path dir) throws Exception {
        Path rows = dir.resolve("rows.csv");
        Path json = dir.resolve("eval.json");
        String ndnet = TestData.REPO.resolve("assets/models/ndnet61.onnx").toString();
        Segbench.Result r = Segbench.run("eval", "--model", CAMVID_MODEL, "--model", ndnet, "--list",
                VAL_LIST.toString(), "--dataset", "camvid", "--limit", "3", "--size", "96x128",
                "--per-image", rows.toString(), "--json", json.toString(), "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("worst 3 frames"), r.out());
        List<String> lines = Files.readAllLines(rows);
        assertEquals(1 + 2 * 3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("image,model,miou,pixel_accuracy,disagreement,iou sky"), lines.get(0));
        // the first model has no disagreement; the second has a share in [0, 1]
        assertEquals("", lines.get(1).split(",")[4]);
        double share = Double.parseDouble(lines.get(4).split(",")[4]);
        assertTrue(share > 0 && share <= 1, lines.get(4));
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertTrue(j.isArray() && j.size() == 2);
        assertEquals(3, j.get(1).get("frames").asInt());
    }

    @Test
    void theJsonsBoundaryAndConfusionMatrixMatchAnIndependentComputation(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("eval.json");
        Segbench.Result r = Segbench.run("eval", "--model", CAMVID_MODEL, "--list", VAL_LIST.toString(),
                "--dataset", "camvid", "--limit", "2", "--boundary", "2", "--json", json.toString(),
                "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());

        // The same two frames scored here, with the engine's parts but not the command.
        ConfusionMatrix region = new ConfusionMatrix(11, 11);
        ConfusionMatrix boundary = new ConfusionMatrix(11, 11);
        List<String> pairs = Files.readAllLines(VAL_LIST).subList(0, 2);
        try (SegmentationModel m = SegmentationModel.load(Path.of(CAMVID_MODEL),
                ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1))) {
            for (String line : pairs) {
                String[] parts = line.trim().split("\\s+");
                Path image = TestData.CAMVID.resolve(parts[0].replaceFirst("^/", ""));
                Path label = TestData.CAMVID.resolve(parts[1].replaceFirst("^/", ""));
                LabelMap gt = GroundTruthFormat.CAMVID.read(label);
                Mat bgr = ImageFiles.readBgr(image);
                Prediction p = m.predict(bgr);
                bgr.release();
                region.add(gt, p.labels());
                boundary.add(BoundaryBand.restrict(gt, BoundaryBand.of(gt, 2)), p.labels());
            }
        }
        assertEquals(region.meanIou(), j.get("miou").asDouble(), 1e-12);
        assertEquals(2, j.get("boundary").get("width_px").asInt());
        assertEquals(boundary.meanIou(), j.get("boundary").get("miou").asDouble(), 1e-12);
        assertEquals(boundary.totalPixels(), j.get("boundary").get("pixels").asLong());
        JsonNode counts = j.get("confusion_matrix").get("counts");
        JsonNode shares = j.get("confusion_matrix").get("row_normalised");
        assertEquals(11, counts.size());
        for (int g = 0; g < 11; g++) {
            assertEquals(12, counts.get(g).size(), "11 classes and the out-of-set column");
            for (int p = 0; p <= 11; p++) {
                assertEquals(region.count(g, p), counts.get(g).get(p).asLong(), "cell " + g + "," + p);
            }
            if (region.groundTruthPixels(g) > 0) {
                double sum = 0;
                for (JsonNode v : shares.get(g)) {
                    sum += v.asDouble();
                }
                assertEquals(1.0, sum, 1e-9, "row " + g + " sums to 1");
            }
        }
    }

    @Test
    void saveConfidenceWritesTheTopClassProbabilityAsGrey(@TempDir Path dir) throws Exception {
        Path image = TestData.CAMVID.resolve("val/0016E5_07959.png");
        Path out = dir.resolve("out");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", image.toString(), "--out",
                out.toString(), "--save-confidence", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        Mat grey = org.opencv.imgcodecs.Imgcodecs.imread(out.resolve("0016E5_07959_confidence.png").toString(),
                org.opencv.imgcodecs.Imgcodecs.IMREAD_UNCHANGED);
        assertEquals(1, grey.channels());
        try (SegmentationModel m = SegmentationModel.load(Path.of(CAMVID_MODEL),
                ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1).withScores(true))) {
            Mat bgr = ImageFiles.readBgr(image);
            Prediction p = m.predict(bgr);
            bgr.release();
            for (int[] xy : new int[][] {{0, 0}, {100, 200}, {479, 359}}) {
                float expected = p.scoreAt(xy[0], xy[1]).orElseThrow();
                // a probability of the top class among 11 is at least 1/11
                assertTrue(expected >= 1f / 11 - 1e-6);
                assertEquals(Math.round(255 * expected), (int) grey.get(xy[1], xy[0])[0], "pixel " + xy[0] + "," + xy[1]);
            }
        }
        grey.release();
    }
}
