package org.segbench.engine.metrics;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelSet;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
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
 * val images at its metadata input size gives the val mIoU the zoo measured in Python and wrote
 * into the model (one decimal). A model that trained on val images is skipped: bundled from
 * train+val, its metadata figure is its train-only twin's, which another file measured.
 */
class BundledModelAccuracyTest {

    @Test
    void engineMiouOnCamvidValMatchesTheZoosPythonEvaluation() throws Exception {
        List<EvalPair> pairs = EvalPairs.fromList(TestData.CAMVID.resolve("val.txt"), null, null);
        Path model = smallestBundledCamvidModelNotTrainedOn(pairs);
        Assumptions.assumeTrue(model != null, "no bundled CamVid model with val_miou that never saw val");
        ModelOptions cpu = ModelOptions.defaults().withProvider(Provider.CPU).withScores(false);
        Size size;
        double expected;
        try (SegmentationModel m = SegmentationModel.load(model, cpu)) {
            // the zoo evaluates at the metadata size, not rounded to a multiple of 32
            size = m.defaultInputSize();
            expected = m.metadata().valMiou().orElseThrow();
        }
        try (SegmentationModel m = SegmentationModel.load(model, cpu.withInputSize(size))) {
            Evaluation eval = new Evaluation(m, LabelSet.camvid(), 0);
            for (EvalPair pair : pairs) {
                eval.add(pair, GroundTruthFormat.CAMVID);
            }
            assertEquals(101, eval.frames());
            double measured = 100 * eval.report().meanIou();
            assertEquals(expected, measured, 0.1, model.getFileName() + " at " + size + ": engine " + measured
                    + "% vs zoo " + expected + "%");
        }
    }

    private static Path smallestBundledCamvidModelNotTrainedOn(List<EvalPair> val) throws IOException, SegbenchException {
        Path dir = TestData.REPO.resolve("assets/models");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".onnx")).sorted(Comparator.comparingLong(p -> p.toFile().length()))
                    .toList();
        }
        for (Path f : files) {
            try (SegmentationModel m = SegmentationModel.load(f, ModelOptions.defaults().withProvider(Provider.CPU))) {
                if (m.metadata().valMiou().isPresent() && LabelSet.CAMVID.equals(m.labels().dataset())
                        && val.stream().noneMatch(pair -> m.metadata().trainingImages().contains(pair.image()))) {
                    return f;
                }
            }
        }
        return null;
    }
}
