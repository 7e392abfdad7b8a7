package org.segbench.engine.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelSet;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine, end to end, agrees with the training side: a bundled CamVid model scored on the 101
 * val images at its metadata input size gives, class by class, the IoU that the zoo's Python
 * evaluation (ONNX Runtime from {@code zoo/evaluate.py}) wrote into {@code zoo/results/STEM_python.json}.
 *
 * <p>The file is the smallest bundled model whose Python figures are of that very file. For a model
 * bundled from train+val they are not: they are its train-only twin's, and {@code zoo.bundle} marks
 * such a model with {@code STEM_bundled_engine.json}. The external reference (ESPNet) never changes,
 * so there is always one to test.
 */
class BundledModelAccuracyTest {

    private static final Path RESULTS = TestData.REPO.resolve("zoo/results");

    @Test
    void engineIouOnCamvidValMatchesTheZoosPythonEvaluationClassByClass() throws Exception {
        List<EvalPair> pairs = EvalPairs.fromList(TestData.CAMVID.resolve("val.txt"), null, null);
        Path model = smallestBundledModelMeasuredByPython();
        Assumptions.assumeTrue(model != null, "no bundled model whose own figures zoo/results holds");
        JsonNode python = new ObjectMapper().readTree(pythonResults(model).toFile());
        ModelOptions cpu = ModelOptions.defaults().withProvider(Provider.CPU).withScores(false);
        Size size;
        try (SegmentationModel m = SegmentationModel.load(model, cpu)) {
            size = m.defaultInputSize();  // the zoo evaluates at the metadata size, not rounded to a multiple of 32
        }
        try (SegmentationModel m = SegmentationModel.load(model, cpu.withInputSize(size))) {
            Evaluation eval = new Evaluation(m, LabelSet.camvid(), 0);
            for (EvalPair pair : pairs) {
                eval.add(pair, GroundTruthFormat.CAMVID);
            }
            assertEquals(101, eval.frames());
            IouReport report = eval.report();
            String where = model.getFileName() + " at " + size + ": ";
            JsonNode classes = python.get("classes");
            assertEquals(classes.size(), report.classes().size(), where + "class count");
            // The same ONNX Runtime on the same pixels: only a few argmax ties may fall another way
            // on another CPU, so every class agrees to 0.05 points, not just the mean.
            for (int c = 0; c < classes.size(); c++) {
                ClassScore engine = report.classes().get(c);
                assertEquals(classes.get(c).get("name").asText(), engine.name(), where + "class " + c);
                assertEquals(classes.get(c).get("iou").asDouble(), engine.iou(), 5e-4,
                        where + engine.name() + " IoU, engine vs zoo/evaluate.py");
            }
            assertEquals(python.get("miou").asDouble(), report.meanIou(), 5e-4, where + "mIoU");
            assertEquals(python.get("pixel_accuracy").asDouble(), report.pixelAccuracy(), 5e-4, where + "pixel accuracy");
        }
    }

    private static Path pythonResults(Path model) {
        String stem = model.getFileName().toString().replaceFirst("\\.onnx$", "");
        return RESULTS.resolve(stem + "_python.json");
    }

    private static Path smallestBundledModelMeasuredByPython() throws IOException {
        Path dir = TestData.REPO.resolve("assets/models");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".onnx"))
                    .filter(p -> Files.exists(pythonResults(p)))
                    .filter(p -> !Files.exists(RESULTS.resolve(pythonResults(p).getFileName().toString()
                            .replace("_python.json", "_bundled_engine.json"))))
                    .min(Comparator.comparingLong(p -> p.toFile().length()))
                    .orElse(null);
        }
    }
}
