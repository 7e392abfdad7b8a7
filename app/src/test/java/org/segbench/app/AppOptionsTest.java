package org.segbench.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.*;

/** The workbench's own arguments, checked before JavaFX starts (no toolkit needed here). */
class AppOptionsTest {
    private record Checked(OptionalInt exit, String out, String err) {
    }

    private static Checked check(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        OptionalInt exit = AppOptions.check(args, new PrintWriter(out), new PrintWriter(err));
        return new Checked(exit, out.toString(), err.toString());
    }

    @Test
    void anUnknownOptionIsOneLineAndTheUsageWithExitCode2() {
        Checked c = check("--pace", "models");
        assertEquals(OptionalInt.of(2), c.exit());
        String first = c.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("workbench: Unknown options: '--pace'"), c.err());
        assertTrue(c.err().contains("Usage: workbench"), c.err());
        assertFalse(c.err().contains("Exception"), c.err());
    }

    @Test
    void malformedValuesAreUsageErrors() {
        Checked notANumber = check("--quit-after", "soon");
        assertEquals(OptionalInt.of(2), notANumber.exit());
        assertTrue(notANumber.err().startsWith("workbench: Invalid value for option '--quit-after'"), notANumber.err());
        Checked negative = check("--quit-after", "-3");
        assertEquals(OptionalInt.of(2), negative.exit());
        assertTrue(negative.err().startsWith("workbench: --quit-after -3.0: give a number of seconds > 0"),
                negative.err());
        Checked missing = check("--model");
        assertEquals(OptionalInt.of(2), missing.exit());
        assertTrue(missing.err().startsWith("workbench: Missing required parameter for option '--model'"),
                missing.err());
        assertThrows(ParameterException.class, () -> AppOptions.parse("--source"));
    }

    @Test
    void helpPrintsTheUsageAndExits0() {
        Checked c = check("--help");
        assertEquals(OptionalInt.of(0), c.exit());
        assertTrue(c.out().contains("--snapshot"), c.out());
        assertEquals("", c.err());
    }

    @Test
    void goodArgumentsStartTheAppWithTheirValues(@org.junit.jupiter.api.io.TempDir Path root) {
        String[] args = {"--root", root.toString(), "--model", "a.onnx", "--model", "b.onnx", "--source",
                "clip.mp4", "--no-play", "--snapshot", "s.png"};
        assertEquals(OptionalInt.empty(), check(args).exit());
        AppOptions o = AppOptions.parse(args);
        assertEquals(root.toAbsolutePath().normalize(), o.root());
        assertEquals(List.of(Path.of("a.onnx"), Path.of("b.onnx")), o.models());
        assertEquals(Path.of("clip.mp4"), o.source());
        assertFalse(o.play());
        assertTrue(o.loop());
        assertEquals(20, o.quitAfterS(), "a snapshot quits after 20 s unless told");
    }
}
