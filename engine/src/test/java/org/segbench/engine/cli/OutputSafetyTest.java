package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.TestData;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Outputs never destroy data: not written into input folders, never over existing files without
 * --overwrite, one file per input even when names repeat, and whole or not at all.
 */
class OutputSafetyTest {
    private static final String CAMVID_MODEL = TestData.model("tiny_camvid.onnx").toString();
    private static final List<String> NAMES = List.of("0016E5_07959.png", "0016E5_07961.png");

    /** images/ and labels/ with two CamVid val pairs. */
    private static Path dataset(Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        for (String name : NAMES) {
            Files.copy(TestData.CAMVID.resolve("val").resolve(name), images.resolve(name));
            Files.copy(TestData.CAMVID.resolve("valannot").resolve(name), labels.resolve(name));
        }
        return dir;
    }

    private static Segbench.Result eval(Path dir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("eval", "--model", CAMVID_MODEL, "--images",
                dir.resolve("images").toString(), "--labels", dir.resolve("labels").toString(), "--dataset", "camvid",
                "--provider", "cpu"));
        args.addAll(List.of(more));
        return Segbench.run(args.toArray(String[]::new));
    }

    private static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    @Test
    void savePredictionsIntoTheLabelsOrImagesFolderIsRefused(@TempDir Path dir) throws Exception {
        dataset(dir);
        Path label = dir.resolve("labels").resolve(NAMES.get(0));
        byte[] before = bytes(label);
        for (String folder : List.of("labels", "images", "images/sub")) {
            Path target = dir.resolve(folder);
            Segbench.Result r = eval(dir, "--save-pred", target.toString());
            assertEquals(1, r.exitCode(), folder);
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().contains(target + ": is"), r.err());
            assertTrue(r.err().contains("the input folder"), r.err());
            assertFalse(r.out().contains("mIoU"), "refused before the evaluation");
        }
        assertArrayEquals(before, bytes(label), "the ground truth is untouched");
        assertFalse(Files.exists(dir.resolve("images/sub")));
    }

    @Test
    void existingPredictionsAreKeptUnlessOverwrite(@TempDir Path dir) throws Exception {
        dataset(dir);
        Path pred = dir.resolve("pred");
        Segbench.Result first = eval(dir, "--save-pred", pred.toString());
        assertEquals(0, first.exitCode(), first.err());
        Path saved = pred.resolve(NAMES.get(0));
        Files.write(saved, new byte[] {1, 2, 3});

        Segbench.Result again = eval(dir, "--save-pred", pred.toString());
        assertEquals(1, again.exitCode());
        assertEquals(List.of("segbench: " + saved + ": already exists (and 1 more outputs of this run);"
                + " give --overwrite to replace, or another output folder"), again.errLines());
        assertArrayEquals(new byte[] {1, 2, 3}, bytes(saved));

        Segbench.Result overwrite = eval(dir, "--save-pred", pred.toString(), "--overwrite");
        assertEquals(0, overwrite.exitCode(), overwrite.err());
        assertEquals(CvType.CV_8UC1, ImageFiles.readUnchanged(saved).type());
        try (Stream<Path> s = Files.list(pred)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                    "no temporary files left");
        }
    }

    @Test
    void aFailedSaveStopsTheEvaluationWithAnError(@TempDir Path dir) throws Exception {
        dataset(dir);
        Path pred = dir.resolve("pred");
        // a non-empty folder where the second prediction goes: the rename onto it fails
        Files.createDirectories(pred.resolve(NAMES.get(1)).resolve("x"));
        Path json = dir.resolve("e.json");
        Segbench.Result r = eval(dir, "--save-pred", pred.toString(), "--overwrite", "--json", json.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().strip().startsWith("segbench: " + pred.resolve(NAMES.get(1)) + ": cannot write"), r.err());
        assertFalse(Files.exists(json), "no result claims the pair was evaluated");
    }

    @Test
    void sameNamedImagesInSubFoldersKeepTheirFolders(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        for (String sub : List.of("a", "b")) {
            String name = sub.equals("a") ? NAMES.get(0) : NAMES.get(1);
            Files.createDirectories(images.resolve(sub));
            Files.createDirectories(labels.resolve(sub));
            Files.copy(TestData.CAMVID.resolve("val").resolve(name), images.resolve(sub).resolve("x.png"));
            Files.copy(TestData.CAMVID.resolve("valannot").resolve(name), labels.resolve(sub).resolve("x.png"));
        }
        Path pred = dir.resolve("pred");
        Segbench.Result r = eval(dir, "--save-pred", pred.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(": 2 frames"), r.out());
        byte[] a = bytes(pred.resolve("a/x.png"));
        byte[] b = bytes(pred.resolve("b/x.png"));
        assertFalse(Arrays.equals(a, b), "two predictions, two files");
    }

    @Test
    void aJpgAndAPngOfTheSameNameGiveTwoSetsOfOutputs(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(TestData.CAMVID.resolve("val").resolve(NAMES.get(0)), in.resolve("a.png"));
        Mat other = ImageFiles.readBgr(TestData.CAMVID.resolve("val").resolve(NAMES.get(1)));
        ImageFiles.write(in.resolve("a.jpg"), other);
        Path out = dir.resolve("out");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", in.toString(), "--out",
                out.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("2 frames"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("a_mask.png")));
        assertTrue(Files.isRegularFile(out.resolve("a-2_mask.png")));
        assertFalse(Arrays.equals(bytes(out.resolve("a_mask.png")), bytes(out.resolve("a-2_mask.png"))));

        Segbench.Result again = Segbench.run("run", "--model", CAMVID_MODEL, "--input", in.toString(), "--out",
                out.toString(), "--provider", "cpu");
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("already exists (and 3 more outputs of this run)"), again.err());
    }

    @Test
    void runRefusesToWriteIntoItsInputFolder(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(TestData.CAMVID.resolve("val").resolve(NAMES.get(0)), in.resolve("a.png"));
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", in.toString(), "--out",
                in.toString(), "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().strip().startsWith("segbench: " + in + ": is the input folder"), r.err());
        try (Stream<Path> s = Files.list(in)) {
            assertEquals(1, s.count());
        }
        // a folder input is read without its sub-folders: outputs inside it are safe
        Segbench.Result nested = Segbench.run("run", "--model", CAMVID_MODEL, "--input", in.toString(), "--out",
                in.resolve("out").toString(), "--provider", "cpu");
        assertEquals(0, nested.exitCode(), nested.err());
        assertTrue(Files.isRegularFile(in.resolve("out/a_mask.png")));
    }

    @Test
    void imageWritesReplaceAFileWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mask.png");
        Mat grey = new Mat(8, 8, CvType.CV_8UC1, new Scalar(7));
        ImageFiles.write(file, grey);
        byte[] good = bytes(file);
        // an encoder that fails leaves the earlier file as it was, and no temporary behind
        Path unknown = dir.resolve("mask.nosuchformat");
        Files.write(unknown, good);
        assertThrows(SegbenchException.class, () -> ImageFiles.write(unknown, grey));
        assertArrayEquals(good, bytes(unknown));
        ImageFiles.write(file, new Mat(8, 8, CvType.CV_8UC1, new Scalar(9)));
        assertEquals(9, ImageFiles.readUnchanged(file).get(0, 0)[0]);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("mask.nosuchformat", "mask.png"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aVideoIsWrittenUnderATemporaryNameUntilItIsFinished(@TempDir Path dir) throws Exception {
        Path mp4 = dir.resolve("clip.mp4");
        Mat frame = new Mat(32, 48, CvType.CV_8UC3, new Scalar(10, 20, 30));
        try (org.segbench.engine.source.VideoWriter w = org.segbench.engine.source.VideoWriter.open(mp4, 48, 32, 10)) {
            w.write(frame);
            assertFalse(Files.exists(mp4), "not under its final name while being written");
        }
        assertTrue(Files.size(mp4) > 0);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("clip.mp4"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void theJsonSummaryMarksWarningsAndLeftOutEntries(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(TestData.CAMVID.resolve("val").resolve(NAMES.get(0)), in.resolve("a.png"));
        Files.createDirectories(in.resolve("folder.png"));
        Files.createSymbolicLink(in.resolve("gone.jpg"), dir.resolve("nowhere.jpg"));
        Path json = dir.resolve("run.json");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", in.toString(), "--out",
                dir.resolve("out").toString(), "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("left out " + in.resolve("folder.png") + ": is a folder, not a file"), r.err());
        assertTrue(r.err().contains("left out " + in.resolve("gone.jpg") + ": is a dangling symbolic link"), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, j.get("left_out").size());
        assertEquals(1, j.get("frames").asInt());
    }
}
