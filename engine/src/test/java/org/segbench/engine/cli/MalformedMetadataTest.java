package org.segbench.engine.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segbench.engine.TestData;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A malformed key in a sidecar is a one-line error naming the file and the key, never an NPE. */
class MalformedMetadataTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"palette\": [1, 2, 3]}|palette",
            "{\"palette\": [[1, 2, 3]]}|palette",
            "{\"palette\": [[1, 2], [3, 4]]}|palette",
            "{\"palette\": \"red\"}|palette",
            "{\"mean\": [\"a\", \"b\", \"c\"]}|mean",
            "{\"std\": [0, 0, 0]}|std",
            "{\"std\": [1, 1]}|std",
            "{\"training_images\": [1, 2]}|training_images",
            "{\"training_images\": \"0016E5_07959\"}|training_images"})
    void aBadKeyNamesItselfAndTheFile(String sidecar, String key, @TempDir Path dir) throws Exception {
        Path model = dir.resolve("bare.onnx");
        Files.copy(TestData.model("tiny_no_metadata.onnx"), model);
        Path json = dir.resolve("bare.onnx.json");
        Files.writeString(json, sidecar);
        Segbench.Result r = Segbench.run("info", model.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String line = r.errLines().get(0);
        assertTrue(line.contains(json.toString()) && line.contains(key), line);
        assertTrue(!line.contains("Exception"), line);
    }
}
