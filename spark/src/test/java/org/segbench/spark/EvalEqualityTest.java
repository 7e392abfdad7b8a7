package org.segbench.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.Provider;
import org.segbench.engine.cli.SegbenchCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark job against {@code segbench eval} itself (run in-process): on the first 20 CamVid val
 * images (the whole 101 would triple CI time for no new case), NDNet61 and Fast-SCNN with
 * {@code skip_gain} 0 and 1 give the same confusion matrices element for element and the same
 * JSON apart from the timing fields.
 */
class EvalEqualityTest {
    private static final int IMAGES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static List<ObjectNode> spark;
    private static Path rows;

    @BeforeAll
    static void runBoth() throws Exception {
        SparkSession session = LocalSpark.session();
        List<ImagePair> pairs = PairListing.read(LocalSpark.files(), LocalSpark.CAMVID.resolve("val.txt").toString(),
                null, null, "camvid").subList(0, IMAGES);
        EvalJob.Spec spec = new EvalJob.Spec(List.of(LocalSpark.NDNET61, LocalSpark.FASTSCNN), pairs, "camvid",
                List.of(Map.of("skip_gain", 0f), Map.of("skip_gain", 1f)), Collections.singletonList(null),
                Provider.AUTO, 3, 5, 0);
        rows = tmp.resolve("rows.parquet");
        spark = EvalJob.run(session, spec, rows.toString(), false).summaries();
    }

    /** {@code segbench eval --json} on the same pairs: one run per model and knob value. */
    private static JsonNode cli(String model, String... extra) throws Exception {
        Path out = tmp.resolve("cli-" + System.nanoTime() + ".json");
        List<String> args = new ArrayList<>(List.of("eval", "--model", model, "--list",
                LocalSpark.CAMVID.resolve("val.txt").toString(), "--dataset", "camvid", "--limit",
                String.valueOf(IMAGES), "--json", out.toString()));
        args.addAll(Arrays.asList(extra));
        int exit = SegbenchCommand.commandLine().execute(args.toArray(String[]::new));
        assertEquals(0, exit, "segbench eval " + args);
        return JSON.readTree(out.toFile());
    }

    @Test
    void oneSummaryPerModelAndKnobValueItHas() {
        // NDNet61 has no knobs: the skip_gain axis leaves it one setting
        assertEquals(3, spark.size());
        assertEquals("{}", spark.get(0).get("knobs").toString());
        assertEquals("{\"skip_gain\":0.0}", spark.get(1).get("knobs").toString());
        assertEquals("{\"skip_gain\":1.0}", spark.get(2).get("knobs").toString());
    }

    @Test
    void matricesAndJsonEqualTheClis() throws Exception {
        JsonNode[] expected = {cli(LocalSpark.NDNET61), cli(LocalSpark.FASTSCNN, "--set", "skip_gain=0"),
                cli(LocalSpark.FASTSCNN, "--set", "skip_gain=1")};
        for (int i = 0; i < expected.length; i++) {
            // through text, as a reader of the file sees it (the CLI's was read from its file)
            ObjectNode actual = (ObjectNode) JSON.readTree(JSON.writeValueAsString(spark.get(i)));
            assertEquals(IMAGES, actual.get("frames").asInt());
            assertEquals(expected[i].get("confusion_matrix").get("counts"), actual.get("confusion_matrix").get("counts"),
                    "confusion matrix of setting " + i);
            assertEquals(actual.get("input_size").asText(), "auto");
            actual.remove(List.of("knobs", "input_size"));
            assertEquals(withoutTiming(expected[i]), withoutTiming(actual), "JSON of setting " + i);
        }
        // the knob changes the result: the comparison above can fail
        assertTrue(spark.get(1).get("miou").asDouble() != spark.get(2).get("miou").asDouble());
    }

    @Test
    void rowsHoldEachImagesCountsAndSumToTheSummary() {
        Dataset<Row> read = LocalSpark.session().read().parquet(rows.toString());
        assertEquals(3L * IMAGES, read.count());
        assertEquals(0L, read.filter("error is not null").count());
        // per-class true positives summed over Fast-SCNN skip_gain=1's rows = the summary's diagonal
        List<Row> setting = read.filter("model_name = 'Fast-SCNN' and knobs = 'skip_gain=1'").collectAsList();
        assertEquals(IMAGES, setting.size());
        JsonNode counts = spark.get(2).get("confusion_matrix").get("counts");
        for (int c = 0; c < 11; c++) {
            long tp = 0;
            long fn = 0;
            for (Row r : setting) {
                tp += r.<Long>getList(r.fieldIndex("tp")).get(c);
                fn += r.<Long>getList(r.fieldIndex("fn")).get(c);
            }
            assertEquals(counts.get(c).get(c).asLong(), tp, "TP of class " + c);
            long truth = 0;
            for (JsonNode n : counts.get(c)) {
                truth += n.asLong();
            }
            assertEquals(truth - tp, fn, "FN of class " + c);
        }
    }

    private static JsonNode withoutTiming(JsonNode summary) {
        ObjectNode copy = summary.deepCopy();
        copy.remove(List.of("fps", "latency_ms"));
        return copy;
    }
}
