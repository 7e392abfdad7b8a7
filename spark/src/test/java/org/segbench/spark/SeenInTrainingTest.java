package org.segbench.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.Provider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The job counts, like {@code segbench eval}, the scored images a model lists among its
 * {@code training_images}: checked on the executors' rows, for a model whose sidecar lists two of
 * three CamVid val images (and an image not scored), the same model with an empty list, and the
 * bundled NDNet61, a train+val bundle whose own metadata lists every val image.
 */
class SeenInTrainingTest {
    @Test
    void scoredImagesTheModelWasTrainedOnAreCounted(@TempDir Path dir) throws Exception {
        List<ImagePair> pairs = PairListing.read(LocalSpark.files(), LocalSpark.CAMVID.resolve("val.txt").toString(),
                null, null, "camvid").subList(0, 3);
        Path model = dir.resolve("listed.onnx");
        Files.copy(LocalSpark.REPO.resolve("engine/src/test/resources/models/tiny_no_metadata.onnx"), model);
        String first = Path.of(pairs.get(0).image()).getFileName().toString();
        String third = Path.of(pairs.get(2).image()).getFileName().toString();
        Files.writeString(dir.resolve("listed.onnx.json"), "{\"dataset\": \"camvid\", \"training_images\": [\""
                + first + "\", \"" + third.replace(".png", "") + "\", \"0001TP_006690\"]}");
        Path unlisted = dir.resolve("unlisted.onnx");
        Files.copy(model, unlisted);
        Files.writeString(dir.resolve("unlisted.onnx.json"), "{\"dataset\": \"camvid\", \"training_images\": []}");
        SparkSession session = LocalSpark.session();
        EvalJob.Spec spec = new EvalJob.Spec(List.of(model.toString(), unlisted.toString(), LocalSpark.NDNET61),
                pairs, "camvid", List.of(Map.of()), Collections.singletonList(null), Provider.CPU, 3, 0, 0);
        List<ObjectNode> summaries = EvalJob.run(session, spec, null, false).summaries();
        assertEquals(2, summaries.get(0).get("seen_in_training").asInt());
        assertEquals(0, summaries.get(1).get("seen_in_training").asInt());
        assertEquals(3, summaries.get(2).get("seen_in_training").asInt());
    }
}
