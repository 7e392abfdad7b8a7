package org.segbench.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.TestData;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The launchers ({@code segbench}, {@code segbench-spark}, {@code workbench}) start java with
 * {@code --add-modules=jdk.incubator.vector} through {@code engine/bin/drop-incubator-warning}: a
 * real JVM with that module and bad input must still give exactly one line of error, and the
 * command's exit status. A JVM without the module (a plain {@code java -jar}) segments the same.
 */
class IncubatorWarningFilterTest {
    private static final Path FILTER = TestData.REPO.resolve("engine/bin/drop-incubator-warning");

    private record Run(int exitCode, String out, List<String> errLines) {
    }

    @Test
    void aMissingModelIsOneLineOfErrorWithTheVectorModule() throws Exception {
        Run r = run(true, "info", "/nowhere/missing.onnx");
        assertEquals(1, r.exitCode, r.errLines.toString());
        assertEquals(List.of("segbench: /nowhere/missing.onnx: no such model file"), r.errLines);
        assertEquals("", r.out);
    }

    @Test
    void withoutTheFilterTheJvmAnnouncesTheModule() throws Exception {
        Run r = run(false, "info", "/nowhere/missing.onnx");
        assertEquals(1, r.exitCode);
        assertEquals(List.of("WARNING: Using incubator modules: jdk.incubator.vector",
                "segbench: /nowhere/missing.onnx: no such model file"), r.errLines,
                "the line the filter drops, word for word");
    }

    @Test
    void stdoutAndSuccessPassThrough() throws Exception {
        Run r = run(true, "--version");
        assertEquals(0, r.exitCode, r.errLines.toString());
        assertTrue(r.out.startsWith("segbench "), r.out);
        assertEquals(List.of(), r.errLines);
    }

    @Test
    void withoutTheModuleTheEngineSegmentsTheSame(@TempDir Path dir) throws Exception {
        // a plain `java -jar` has no jdk.incubator.vector: the argmax runs in plain Java
        String image = TestData.CAMVID.resolve("val/0016E5_07959.png").toString();
        String model = TestData.REPO.resolve("assets/models/fastscnn.onnx").toString();
        Path withModule = dir.resolve("with");
        Path without = dir.resolve("without");
        Run a = run(true, "run", "--model", model, "--input", image, "--size", "360x480",
                "--out", withModule.toString());
        assertEquals(0, a.exitCode, a.errLines.toString());
        Run b = run(false, false, "run", "--model", model, "--input", image, "--size", "360x480",
                "--out", without.toString());
        assertEquals(0, b.exitCode, b.errLines.toString());
        assertFalse(b.errLines.stream().anyMatch(l -> l.contains("incubator")), b.errLines.toString());
        byte[] mask = Files.readAllBytes(withModule.resolve("0016E5_07959_mask.png"));
        assertArrayEquals(mask, Files.readAllBytes(without.resolve("0016E5_07959_mask.png")),
                "the label map of a 720x960 CamVid image, upsampled from 360x480 logits");
    }

    private static Run run(boolean filtered, String... args) throws Exception {
        return run(filtered, true, args);
    }

    private static Run run(boolean filtered, boolean vectorModule, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (filtered) {
            command.add(FILTER.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (vectorModule) {
            command.add("--add-modules=jdk.incubator.vector");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SegbenchCommand.class.getName()));
        command.addAll(List.of(args));
        File out = File.createTempFile("segbench-out", ".txt");
        File err = File.createTempFile("segbench-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
            int code = p.waitFor();
            List<String> errLines = Files.readAllLines(err.toPath()).stream().filter(l -> !l.isBlank()).toList();
            return new Run(code, Files.readString(out.toPath()), errLines);
        } finally {
            out.delete();
            err.delete();
        }
    }
}
