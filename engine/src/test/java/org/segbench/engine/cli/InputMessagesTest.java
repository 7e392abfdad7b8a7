package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.segbench.engine.TestData;
import org.segbench.engine.source.ImageFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/** Bad or odd input is said once, in one line naming the file: never silence, never a stack trace. */
class InputMessagesTest {
    private static final String CAMVID_MODEL = TestData.model("tiny_camvid.onnx").toString();
    private static final Path VAL = TestData.CAMVID.resolve("val");
    private static final Path VALANNOT = TestData.CAMVID.resolve("valannot");
    private static final String NAME = "0016E5_07959.png";

    @Test
    void aRunOfOneFrameSaysItIsTooFewToTime(@TempDir Path dir) {
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", VAL.resolve(NAME).toString(),
                "--out", dir.resolve("out").toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("NaN"), r.out());
        assertTrue(r.out().contains("too few frames to time (the first is warm-up)"), r.out());
    }

    @Test
    void aSingleBadInputPrintsItsErrorOnce(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.png"), "not a png");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", bad.toString(), "--out",
                dir.resolve("out").toString(), "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("segbench: " + bad + ": not a readable image (corrupt or unsupported format)"),
                r.errLines());
        Path labels = Files.createDirectories(dir.resolve("labels"));
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.copy(bad, images.resolve("x.png"));
        Files.copy(VALANNOT.resolve(NAME), labels.resolve("x.png"));
        Segbench.Result e = Segbench.run("eval", "--model", CAMVID_MODEL, "--images", images.toString(), "--labels",
                labels.toString(), "--dataset", "camvid", "--provider", "cpu");
        assertEquals(1, e.exitCode());
        assertEquals(1, e.errLines().stream().filter(l -> l.contains(images.resolve("x.png").toString())).count(),
                e.err());
    }

    @Test
    void jpegImagesPairWithPngLabelsAndAMissingLabelSaysWhatWasLookedFor(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        Mat photo = ImageFiles.readBgr(VAL.resolve(NAME));
        ImageFiles.write(images.resolve("a.jpg"), photo);
        ImageFiles.write(images.resolve("b.jpg"), photo);
        Files.copy(VALANNOT.resolve(NAME), labels.resolve("a.png"));
        Path json = dir.resolve("e.json");
        Segbench.Result r = Segbench.run("eval", "--model", CAMVID_MODEL, "--images", images.toString(), "--labels",
                labels.toString(), "--dataset", "camvid", "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(": 1 frames, 1 skipped"), r.out());
        assertTrue(r.err().contains("skipped " + labels.resolve("b.png") + ": no ground truth for "
                + images.resolve("b.jpg") + " (looked for b.png and the same name with other image extensions)"),
                r.err());
    }

    @Test
    void groundTruthWithValuesOutsideTheLabelSetIsWarnedAbout(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        Files.copy(VAL.resolve(NAME), images.resolve(NAME));
        Path label = labels.resolve(NAME);
        ImageFiles.write(label, new Mat(360, 480, CvType.CV_8UC1, new Scalar(200)));
        Path json = dir.resolve("e.json");
        Segbench.Result r = Segbench.run("eval", "--model", CAMVID_MODEL, "--images", images.toString(), "--labels",
                labels.toString(), "--dataset", "camvid", "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: " + label + ": 100.0% of the pixels have values outside the camvid"
                + " classes 0..10 and its ignore label 11 (e.g. 200): they are not scored"), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(label.toString(), j.get("warnings").get(0).get("file").asText());

        ImageFiles.write(label, new Mat(360, 480, CvType.CV_8UC1, new Scalar(11)));
        Segbench.Result allVoid = Segbench.run("eval", "--model", CAMVID_MODEL, "--images", images.toString(),
                "--labels", labels.toString(), "--dataset", "camvid", "--provider", "cpu");
        assertTrue(allVoid.err().contains("warning: " + label + ": no pixel is a camvid class"), allVoid.err());
    }

    @Test
    void aTruncatedJpegIsWarnedAboutAndMarkedInTheJson(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full.jpg");
        ImageFiles.write(full, ImageFiles.readBgr(VAL.resolve(NAME)));
        byte[] bytes = Files.readAllBytes(full);
        Path in = Files.createDirectories(dir.resolve("in"));
        Path cut = Files.write(in.resolve("cut.jpg"), Arrays.copyOf(bytes, bytes.length / 2));
        Files.copy(full, in.resolve("whole.jpg"));
        Path json = dir.resolve("run.json");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", in.toString(), "--out",
                dir.resolve("out").toString(), "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: " + cut + ": truncated JPEG (no end-of-image marker)"), r.err());
        assertFalse(r.err().contains("whole.jpg"), r.err());
        JsonNode warnings = new ObjectMapper().readTree(json.toFile()).get("warnings");
        assertEquals(1, warnings.size());
        assertEquals(cut.toString(), warnings.get(0).get("file").asText());
        assertTrue(ImageFiles.truncation(full).isEmpty());
    }

    @Test
    void aTruncatedVideoThatEndsEarlyIsWarnedAbout(@TempDir Path dir) throws Exception {
        byte[] video = Files.readAllBytes(TestData.VTEST);
        Path cut = Files.write(dir.resolve("cut.avi"), Arrays.copyOf(video, video.length / 40));
        Path json = dir.resolve("run.json");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", cut.toString(), "--out",
                dir.resolve("out").toString(), "--size", "64x96", "--json", json.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: " + cut + ": the video ended after "), r.err());
        assertTrue(r.err().contains("frames its header declares (truncated?)"), r.err());
        assertEquals(1, new ObjectMapper().readTree(json.toFile()).get("warnings").size());
    }

    @Test
    void anImageOverThePixelLimitIsRefusedFromItsHeader(@TempDir Path dir) throws Exception {
        Path huge = dir.resolve("huge.png");
        Files.write(huge, pngHeader(100_000, 100_000));
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", huge.toString(), "--out",
                dir.resolve("out").toString(), "--provider", "cpu");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("segbench: " + huge + ": image is 100000x100000 (10,000,000,000 pixels), over the limit"
                + " of " + String.format("%,d", ImageFiles.MAX_PIXELS) + " pixels"), r.errLines());
    }

    /** A PNG signature and IHDR chunk claiming width x height (no pixel data: the header is all that is read). */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return png.array();
    }

    @Test
    void progressWithoutATerminalIsPlainLinesEveryInterval() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = Progress.start("eval m", 10, err, false, 100)) {
            for (int i = 0; i < 10; i++) {
                bar.step();
                Thread.sleep(45);
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "no carriage returns: " + text);
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() >= 2 && lines.size() <= 10, lines.size() + " lines in ~450 ms at one per 100 ms");
        assertTrue(lines.stream().allMatch(l -> l.startsWith("eval m")), text);
        assertTrue(lines.get(lines.size() - 1).contains("10/10"), text);
    }

    @Test
    void aGifIsAStillAndGivesPngsNotAVideo(@TempDir Path dir) throws Exception {
        Path gif = dir.resolve("street.gif");
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(VAL.resolve(NAME).toFile());
        assertTrue(javax.imageio.ImageIO.write(img, "gif", gif.toFile()));
        Path out = dir.resolve("out");
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", gif.toString(), "--out",
                out.toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        try (java.util.stream.Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("street_mask.png", "street_overlay.png"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aTruncatedPngIsOneLineNamingItAndTheBatchGoesOn(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        byte[] png = Files.readAllBytes(VAL.resolve(NAME));
        Path cut = Files.write(in.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        Files.copy(VAL.resolve(NAME), in.resolve("whole.png"));
        Segbench.Result r = Segbench.run("run", "--model", CAMVID_MODEL, "--input", in.toString(), "--out",
                dir.resolve("out").toString(), "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("skipped " + cut + ": not a readable image: truncated PNG (no IEND chunk)"),
                r.err());
        assertTrue(r.out().startsWith("1 frames from"), r.out());
    }

    /** A tiny MJPEG AVI from OpenCV's built-in writer (FFmpeg's recorders round odd widths up). */
    private static Path tinyVideo(Path file, int width, int height) {
        org.segbench.engine.OpenCv.load();
        org.opencv.videoio.VideoWriter w = new org.opencv.videoio.VideoWriter(file.toString(),
                org.opencv.videoio.Videoio.CAP_OPENCV_MJPEG, org.opencv.videoio.VideoWriter.fourcc('M', 'J', 'P', 'G'),
                10, new org.opencv.core.Size(width, height), true);
        for (int k = 0; k < 3; k++) {
            w.write(new Mat(height, width, CvType.CV_8UC3, new Scalar(90, 120, 150)));
        }
        w.release();
        return file;
    }

    @Test
    void tinyVideosRunOrFailInOneLineWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Segbench.Result ok = Segbench.run("run", "--model", CAMVID_MODEL, "--input",
                tinyVideo(dir.resolve("v40x30.avi"), 40, 30).toString(), "--out", dir.resolve("a").toString(),
                "--provider", "cpu");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().startsWith("3 frames"), ok.out());
        Path oneByOne = tinyVideo(dir.resolve("v1x1.avi"), 1, 1);
        Segbench.Result tiny = Segbench.run("run", "--model", CAMVID_MODEL, "--input", oneByOne.toString(), "--out",
                dir.resolve("b").toString(), "--provider", "cpu");
        assertEquals(1, tiny.exitCode(), tiny.out() + tiny.err());
        assertEquals(List.of("segbench: " + dir.resolve("b/v1x1_mask.mp4") + ": a 1x1 frame is too small to encode"
                + " as MP4"), tiny.errLines());
    }
}
