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
        Checked c = check("--speed", "max");
        assertEquals(OptionalInt.of(2), c.exit());
        String first = c.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("workbench: Unknown options: '--speed'"), c.err());
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

    @Test
    void theDefaultsArePlayingInRealTimeOnASharedThreadPoolWithoutAReport(@org.junit.jupiter.api.io.TempDir Path root) {
        AppOptions o = AppOptions.parse("--root", root.toString());
        assertEquals(org.segbench.app.source.Pace.REALTIME, o.pace());
        assertNull(o.report());
        assertEquals(AppOptions.DEFAULT_WARM_UP_S, o.warmUpS());
        assertTrue(o.sharedThreads());
        assertFalse(AppOptions.parse("--own-thread-pools").sharedThreads());
    }

    @Test
    void paceAndReportAreParsed() {
        String[] args = {"--pace", "models", "--report", "/tmp/r.json", "--quit-after", "60", "--warm-up", "15"};
        assertEquals(OptionalInt.empty(), check(args).exit());
        AppOptions o = AppOptions.parse(args);
        assertEquals(org.segbench.app.source.Pace.MODELS, o.pace());
        assertEquals(Path.of("/tmp/r.json"), o.report());
        assertEquals(60, o.quitAfterS());
        assertEquals(15, o.warmUpS());
        assertEquals(org.segbench.app.source.Pace.REALTIME, AppOptions.parse("--pace", "RealTime").pace());
        assertTrue(check("--help").out().contains("--pace"));
    }

    @Test
    void aReportNeedsARunLongerThanItsWarmUpAndPaceIsRealtimeOrModels() {
        Checked noEnd = check("--report", "r.json");
        assertEquals(OptionalInt.of(2), noEnd.exit());
        assertTrue(noEnd.err().startsWith("workbench: --report r.json: needs --quit-after SECONDS"), noEnd.err());
        Checked tooShort = check("--report", "r.json", "--quit-after", "8");
        assertEquals(OptionalInt.of(2), tooShort.exit());
        assertTrue(tooShort.err().startsWith("workbench: --warm-up 10.0 leaves nothing of --quit-after 8.0"),
                tooShort.err());
        Checked badPace = check("--pace", "fast");
        assertEquals(OptionalInt.of(2), badPace.exit());
        assertTrue(badPace.err().lines().findFirst().orElse("").contains("'fast': give realtime or models"),
                badPace.err());
        assertEquals(OptionalInt.of(2), check("--warm-up", "-1").exit());
    }
}
