package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.TestData;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bench --pipeline} and {@code soak} end to end on the real video with tiny models: they run,
 * write the JSON the benchmark scripts read, and refuse bad arguments. No timing assertions.
 */
class PipelineCommandsTest {
    private static final String CAMVID = TestData.model("tiny_camvid.onnx").toString();
    private static final String LOWRES = TestData.model("tiny_lowres_logits.onnx").toString();
    private static final String VIDEO = TestData.VTEST.toString();

    private static int segbench(StringWriter err, String... args) {
        CommandLine cli = SegbenchCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void benchPipelineReportsRawEndToEndAndRatio(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        StringWriter err = new StringWriter();
        int code = segbench(err, "bench", "--pipeline", "--model", CAMVID, "--input", VIDEO, "--size", "64x96",
                "--warmup", "2", "--frames", "12", "--provider", "cpu", "--json", json.toString());
        assertEquals(0, code, err.toString());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("576x768", j.get("frame_size").asText());
        assertEquals("64x96", j.get("input_size").asText());
        assertEquals(12, j.get("frames").asInt());
        assertTrue(j.get("raw_fps").asDouble() > 0);
        assertTrue(j.get("end_to_end_fps").asDouble() > 0);
        assertEquals(j.get("end_to_end_fps").asDouble() / j.get("raw_fps").asDouble(), j.get("ratio").asDouble(), 1e-9);
        for (String stage : new String[] {"decode", "preprocess", "inference", "argmax", "render"}) {
            assertTrue(j.get("stage_ms").has(stage), stage);
        }
    }

    @Test
    void benchPipelineNeedsAVideo() {
        StringWriter err = new StringWriter();
        int code = segbench(err, "bench", "--pipeline", "--model", CAMVID, "--frames", "2");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("--input"), err.toString());
    }

    @Test
    void soakSamplesMemoryAndReportsGrowth(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("soak.json");
        StringWriter err = new StringWriter();
        int code = segbench(err, "soak", "--model", CAMVID, "--model", LOWRES, "--input", VIDEO, "--size", "64x96",
                "--frames", "40", "--sample-every", "10", "--warmup-frames", "10", "--provider", "cpu", "--threads", "1",
                "--json", json.toString());
        assertEquals(0, code, err.toString());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(5, j.get("samples").size(), "frame 0 and every 10 frames up to 40");
        assertEquals(40, j.get("samples").get(4).get("frame").asInt());
        assertTrue(j.get("samples").get(4).get("rss_bytes").asLong() > 0, "VmRSS read from /proc/self/status");
        assertEquals(10, j.get("baseline_frame").asInt());
        assertEquals(j.get("end_rss_bytes").asLong() - j.get("baseline_rss_bytes").asLong(),
                j.get("growth_bytes").asLong());
    }

    @Test
    void soakNeedsTwoModels() {
        StringWriter err = new StringWriter();
        int code = segbench(err, "soak", "--model", CAMVID, "--input", VIDEO, "--frames", "2");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("two models"), err.toString());
    }
}
