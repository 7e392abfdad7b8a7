package org.segbench.engine.cli;

import org.junit.jupiter.api.Test;
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
 * command's exit status.
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

    private static Run run(boolean filtered, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (filtered) {
            command.add(FILTER.toString());
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                SegbenchCommand.class.getName()));
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
