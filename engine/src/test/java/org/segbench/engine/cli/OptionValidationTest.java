package org.segbench.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.TestData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every option is checked before any work, with picocli's usage errors (exit 2, one line naming
 * the option, then the usage): the cases a sweep of bad inputs found accepted or failing badly.
 */
class OptionValidationTest {
    private static final String NO_META = TestData.model("tiny_no_metadata.onnx").toString();
    private static final String CAMVID_MODEL = TestData.model("tiny_camvid.onnx").toString();
    private static final String FASTSCNN = TestData.model("tiny_fastscnn_cityscapes.onnx").toString();
    private static final String IMAGE = TestData.CAMVID.resolve("val/0016E5_07959.png").toString();

    /** A usage error: exit 2, the first line names the problem, no Java exception in sight. */
    private static void assertUsageError(Segbench.Result r, String firstLineContains) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        String first = r.errLines().get(0);
        assertTrue(first.contains(firstLineContains), first);
        assertTrue(r.err().contains("Usage: segbench"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    private static String normalise(Segbench.Result info) {
        return info.out().lines().filter(l -> l.startsWith("Normalise")).findFirst().orElse("");
    }

    @Test
    void meanAndStdTakeTheFormTheHelpPrintsAndThreeSeparateValues() {
        Segbench.Result comma = Segbench.run("info", NO_META, "--mean=0,0,0", "--std=1,1,1", "--provider", "cpu");
        assertEquals(0, comma.exitCode(), comma.err());
        assertEquals("Normalise   mean [0.0, 0.0, 0.0] std [1.0, 1.0, 1.0]", normalise(comma));
        Segbench.Result spaced = Segbench.run("info", NO_META, "--mean", "0", "0", "0", "--std", "1", "1", "1",
                "--provider", "cpu");
        assertEquals(0, spaced.exitCode(), spaced.err());
        assertEquals(normalise(comma), normalise(spaced));
        Segbench.Result before = Segbench.run("info", "--mean=0,0,0", "--std", "1", "1", "1", NO_META, "--provider",
                "cpu");
        assertEquals(0, before.exitCode(), "the model after the values is not taken for one: " + before.err());
        assertEquals(normalise(comma), normalise(before));
        Segbench.Result commaSpace = Segbench.run("info", NO_META, "--mean", "0.5,0.25,0.125", "--provider", "cpu");
        assertEquals(0, commaSpace.exitCode(), commaSpace.err());
        assertTrue(normalise(commaSpace).startsWith("Normalise   mean [0.5, 0.25, 0.125]"), commaSpace.out());
    }

    @Test
    void theHelpsOwnMeanAndStdExamplesWork() {
        String help = Segbench.run("info", "--help").out();
        Matcher m = Pattern.compile("--(mean|std)=[0-9.,]+[0-9]").matcher(help);
        List<String> examples = new ArrayList<>();
        while (m.find()) {
            examples.add(m.group());
        }
        assertTrue(examples.size() >= 2, "the help shows examples: " + help);
        for (String example : examples) {
            Segbench.Result r = Segbench.run("info", NO_META, example, "--provider", "cpu");
            assertEquals(0, r.exitCode(), example + ": " + r.err());
            String values = example.substring(example.indexOf('=') + 1);
            String shown = "[" + String.join(", ", values.split(",")) + "]";
            assertTrue(normalise(r).contains(shown), example + " -> " + normalise(r));
        }
    }

    @Test
    void badMeanAndStdAreRejected() {
        assertUsageError(Segbench.run("info", NO_META, "--mean=0,0"), "--mean 0.0,0.0: give 3 values");
        assertUsageError(Segbench.run("info", NO_META, "--std=0,0,0"), "std must be > 0");
        assertUsageError(Segbench.run("info", NO_META, "--std", "1", "-1", "1"), "std must be > 0");
        assertUsageError(Segbench.run("info", NO_META, "--mean=a,b,c"), "Invalid value for option '--mean'");
        assertUsageError(Segbench.run("info", NO_META, "--mean=NaN,0,0"), "values must be finite numbers");
    }

    @Test
    void presetsSetMeanAndStd() {
        Segbench.Result raw = Segbench.run("info", NO_META, "--preset", "raw255", "--provider", "cpu");
        assertEquals(0, raw.exitCode(), raw.err());
        assertEquals("Normalise   mean [0.0, 0.0, 0.0] std [0.003921569, 0.003921569, 0.003921569]", normalise(raw));
        Segbench.Result unit = Segbench.run("info", NO_META, "--preset=unit", "--provider", "cpu");
        assertEquals("Normalise   mean [0.0, 0.0, 0.0] std [1.0, 1.0, 1.0]", normalise(unit));
        Segbench.Result imagenet = Segbench.run("info", NO_META, "--preset", "ImageNet", "--provider", "cpu");
        assertEquals("Normalise   mean [0.485, 0.456, 0.406] std [0.229, 0.224, 0.225]", normalise(imagenet));
        assertUsageError(Segbench.run("info", NO_META, "--preset", "caffe"),
                "'caffe' is not a preset: give imagenet, unit or raw255");
        assertUsageError(Segbench.run("info", NO_META, "--preset", "unit", "--mean=0,0,0"),
                "give --preset or --mean/--std, not both");
    }

    @Test
    void threadsAreBoundedByTheCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertUsageError(Segbench.run("info", NO_META, "--threads", "1000"),
                "--threads 1000: give 1.." + cores + " (the cores of this machine), or 0 for all");
        assertUsageError(Segbench.run("info", NO_META, "--threads", "-3"), "--threads -3");
        Segbench.Result ok = Segbench.run("info", NO_META, "--threads", String.valueOf(cores), "--provider", "cpu");
        assertEquals(0, ok.exitCode(), ok.err());
    }

    @Test
    void anUnknownProviderNamesTheChoices() {
        Segbench.Result r = Segbench.run("info", NO_META, "--provider", "tpu");
        assertUsageError(r, "'tpu' is not a provider: give auto, cuda or cpu");
        assertFalse(r.err().contains("No enum constant"), r.err());
    }

    @Test
    void numbersOutOfRangeAreUsageErrors(@TempDir Path dir) {
        String out = dir.resolve("out").toString();
        for (String alpha : List.of("2", "-0.5", "NaN")) {
            assertUsageError(Segbench.run("run", "--model", CAMVID_MODEL, "--input", IMAGE, "--out", out, "--alpha",
                    alpha), "--alpha");
        }
        assertUsageError(Segbench.run("run", "--model", FASTSCNN, "--input", IMAGE, "--out", out, "--set",
                "skip_gain=NaN"), "--set skip_gain=NaN: a knob value must be a finite number");
        assertUsageError(Segbench.run("run", "--model", CAMVID_MODEL, "--input", IMAGE, "--out", out, "--limit", "0"),
                "--limit 0: must be at least 1");
        assertUsageError(Segbench.run("bench", "--model", CAMVID_MODEL, "--warmup", "-1"),
                "--warmup -1: must be at least 0");
        assertUsageError(Segbench.run("eval", "--model", CAMVID_MODEL, "--dataset", "camvid", "--list",
                TestData.CAMVID.resolve("val.txt").toString(), "--burn-in", "-2"), "--burn-in -2: must be at least 0");
        assertUsageError(Segbench.run("soak", "--model", CAMVID_MODEL, "--model", CAMVID_MODEL, "--input",
                TestData.VTEST.toString(), "--sample-every", "0"), "--sample-every 0: must be at least 1");
        assertUsageError(Segbench.run("soak", "--model", CAMVID_MODEL, "--model", CAMVID_MODEL, "--input",
                TestData.VTEST.toString(), "--every", "0"), "--sample-every 0: must be at least 1");
        assertFalse(Files.exists(dir.resolve("out")), "nothing was written");
    }

    @Test
    void sizesTooLargeForOneTensorAreUsageErrors() {
        for (String size : List.of("50000x50000", "100000x100000")) {
            Segbench.Result r = Segbench.run("bench", "--model", CAMVID_MODEL, "--size", size);
            assertUsageError(r, "Invalid value for option '--size': " + size);
            assertTrue(r.errLines().get(0).contains("the input tensor must stay under 2 GB"), r.err());
        }
        assertUsageError(Segbench.run("bench", "--model", CAMVID_MODEL, "--size", "0x10"), "--size");
    }

    @Test
    void anOutFolderThatIsAFileIsOneErrorBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input",
                TestData.CAMVID.resolve("val").toString(), "--out", file.toString(), "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("segbench: " + file + ": is a file, not a folder for the outputs"), r.errLines());
        assertEquals("", r.out());
    }

    @Test
    void anUnwritableJsonPathFailsBeforeTheEvaluation(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path json = file.resolve("eval.json");
        Segbench.Result r = Segbench.run("eval", "--model", CAMVID_MODEL, "--list",
                TestData.CAMVID.resolve("val.txt").toString(), "--dataset", "camvid", "--limit", "2", "--json",
                json.toString(), "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith("segbench: " + json + ": cannot be created"), r.err());
        assertFalse(r.out().contains("mIoU"), "no evaluation ran: " + r.out());
    }

    @Test
    void aFolderOrAFifoGivenAsAModelOrInputSaysWhatItIs(@TempDir Path dir) throws Exception {
        Segbench.Result folder = Segbench.run("info", dir.toString());
        assertEquals(1, folder.exitCode());
        assertEquals("segbench: " + dir + ": is a folder, not an ONNX model file", folder.err().strip());

        Path fifo = dir.resolve("frames.png");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", fifo.toString(), "--out",
                dir.resolve("out").toString(), "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertEquals("segbench: " + fifo + ": not a regular file (a FIFO, socket or device)", r.err().strip());
    }
}
