package org.segbench.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes wrong on a cluster: a corrupt image in the list, a task that dies and is retried, a
 * model that does not load. Four CamVid val pairs (and one corrupt copy) keep it quick.
 */
class EvalFaultsTest {
    @TempDir
    static Path tmp;

    private static List<ImagePair> good;
    private static EvalJob.Result clean;

    @BeforeAll
    static void cleanRun() throws Exception {
        good = PairListing.read(LocalSpark.files(), LocalSpark.CAMVID.resolve("val.txt").toString(), null, null,
                "camvid").subList(0, 4);
        clean = EvalJob.run(LocalSpark.session(), spec(good, LocalSpark.FASTSCNN), null, false);
    }

    private static EvalJob.Spec spec(List<ImagePair> pairs, String model) {
        // four partitions of the four pairs: partition 0 is one pair among several tasks
        return new EvalJob.Spec(List.of(model), pairs, "camvid", List.of(Map.of()), Collections.singletonList(null),
                Provider.AUTO, 3, 0, 4);
    }

    @Test
    void aCorruptImageIsAnErrorRowAndTheRestIsScored() throws Exception {
        Path corrupt = tmp.resolve("corrupt.png");
        Files.write(corrupt, "not a PNG at all".getBytes());
        // a CSV list (the other list format), the corrupt image second
        Path csv = tmp.resolve("pairs.csv");
        List<String> lines = new ArrayList<>(List.of("image,label"));
        lines.add(good.get(0).image() + "," + good.get(0).label());
        lines.add(corrupt + "," + good.get(1).label());
        for (ImagePair p : good.subList(1, 4)) {
            lines.add(p.image() + "," + p.label());
        }
        Files.write(csv, lines);
        List<ImagePair> pairs = PairListing.read(LocalSpark.files(), csv.toString(), null, null, "camvid");
        assertEquals(5, pairs.size());
        Path rows = tmp.resolve("corrupt-rows.parquet");

        EvalJob.Result result = EvalJob.run(LocalSpark.session(), spec(pairs, LocalSpark.FASTSCNN), rows.toString(),
                false);

        assertEquals(5, result.rows());
        assertEquals(1, result.errorRows());
        ObjectNode summary = result.summaries().get(0);
        assertEquals(4, summary.get("frames").asInt());
        assertEquals(1, summary.get("skipped").asInt());
        assertTrue(summary.get("errors").get(0).asText().startsWith(corrupt.toString()),
                summary.get("errors").toString());
        // the four good pairs count exactly as in the clean run
        assertEquals(clean.summaries().get(0).get("confusion_matrix"), summary.get("confusion_matrix"));
        List<Row> errors = LocalSpark.session().read().parquet(rows.toString()).filter("error is not null")
                .collectAsList();
        assertEquals(1, errors.size());
        assertEquals(corrupt.toString(), errors.get(0).getAs("image"));
    }

    @Test
    void aTaskThatDiesOnceCountsOnce() throws Exception {
        SparkSession spark = LocalSpark.session();
        Path rows = tmp.resolve("retried-rows.parquet");
        EvalJob.Result retried;
        spark.sparkContext().setLocalProperty(PairScorer.FAIL_FIRST_ATTEMPT, "true");
        try {
            retried = EvalJob.run(spark, spec(good, LocalSpark.FASTSCNN), rows.toString(), false);
        } finally {
            spark.sparkContext().setLocalProperty(PairScorer.FAIL_FIRST_ATTEMPT, null);
        }
        // the hook did fire: partition 0's rows come from its second attempt
        List<Row> all = spark.read().parquet(rows.toString()).collectAsList();
        assertEquals(4, all.size());
        assertTrue(all.stream().anyMatch(r -> r.<Integer>getAs("task_attempt") == 1), "no retried task");
        assertEquals(clean.summaries().get(0).get("confusion_matrix"), retried.summaries().get(0).get("confusion_matrix"));
        assertEquals(clean.summaries().get(0).get("boundary"), retried.summaries().get(0).get("boundary"));
        assertEquals(4, retried.summaries().get(0).get("frames").asInt());
    }

    @Test
    void aModelThatDoesNotLoadFailsTheJobAtOnceNamingIt() throws Exception {
        Path broken = tmp.resolve("broken.onnx");
        Files.write(broken, new byte[] {1, 2, 3, 4});
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> EvalJob.run(LocalSpark.session(), spec(good, broken.toString()), null, false));
        assertTrue(e.getMessage().startsWith(broken + ": "), e.getMessage());
    }

    @Test
    void existingRowsAreKeptUnlessOverwriteIsGiven() throws Exception {
        Path rows = tmp.resolve("kept.parquet");
        Files.createDirectories(rows);
        Path marker = Files.writeString(rows.resolve("earlier-work.txt"), "a user's earlier rows");
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> EvalJob.run(LocalSpark.session(), spec(good, LocalSpark.FASTSCNN), rows.toString(), false));
        assertTrue(e.getMessage().startsWith(rows + ": already exists"), e.getMessage());
        assertTrue(Files.exists(marker), "the refused job touched the existing output");

        EvalJob.run(LocalSpark.session(), spec(good, LocalSpark.FASTSCNN), rows.toString(), true);
        assertEquals(4, LocalSpark.session().read().parquet(rows.toString()).count());
        assertTrue(Files.notExists(marker), "--overwrite did not replace the output");
    }
}
