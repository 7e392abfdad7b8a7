package org.segbench.spark;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep flags of {@code segbench-spark eval}, parsed as the launcher parses them (no job is run). */
class EvalJobCommandTest {
    private static EvalJobCommand parse(String... args) {
        EvalJobCommand command = new EvalJobCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void everyCombinationOfTheGridCarriesTheSetKnobs() {
        EvalJobCommand c = parse("--model", "m.onnx", "--dataset", "camvid", "--set", "a=2", "--grid", "b=0,1",
                "--grid", "c=0.5,1.5");
        List<Map<String, Float>> grid = c.knobGrid();
        assertEquals(4, grid.size());
        assertEquals(Map.of("a", 2f, "b", 0f, "c", 0.5f), grid.get(0));
        assertEquals(Map.of("a", 2f, "b", 1f, "c", 1.5f), grid.get(3));
    }

    @Test
    void aKnobBothSetAndSweptOrNotANumberIsAUsageError() {
        CommandLine.ParameterException both = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--model", "m.onnx", "--dataset", "camvid", "--set", "b=1", "--grid", "b=0,1").knobGrid());
        assertTrue(both.getMessage().contains("--set and --grid both give b"), both.getMessage());
        CommandLine.ParameterException nan = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--model", "m.onnx", "--dataset", "camvid", "--grid", "b=0,x").knobGrid());
        assertTrue(nan.getMessage().contains("'x' is not a number"), nan.getMessage());
    }

    @Test
    void sizesAreACommaList() {
        EvalJobCommand c = parse("--model", "m.onnx", "--dataset", "camvid", "--sizes", "360x480,720x960");
        assertEquals(List.of("360x480", "720x960"), c.sizes);
    }
}
