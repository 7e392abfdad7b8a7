package org.segbench.engine.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.segbench.engine.OpenCv;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.TestData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class FrameSourceTest {

    @Test
    void decodesTheBundledMsMpeg4Video() throws Exception {
        assertTrue(Files.isRegularFile(TestData.VTEST), "sample-images/vtest.avi is part of the repository");
        try (FrameSource video = FrameSources.open(TestData.VTEST)) {
            assertTrue(video instanceof VideoSource);
            assertTrue(video.fps() > 0);
            assertTrue(video.seekable());
            long n = 0;
            double lastTs = -1;
            Optional<Frame> f;
            while ((f = video.next()).isPresent()) {
                try (Frame frame = f.get()) {
                    if (n == 0) {
                        assertEquals(768, frame.width());
                        assertEquals(576, frame.height());
                        assertEquals(CvType.CV_8UC3, frame.bgr().type());
                        assertEquals("frame_000000", frame.name());
                    }
                    assertEquals(n, frame.index());
                    assertTrue(frame.timestampMs() >= lastTs);
                    lastTs = frame.timestampMs();
                }
                n++;
            }
            assertEquals(795, n);
        }
    }

    @Test
    void framesOwnTheirPixelsPastTheNextGrab() throws Exception {
        try (FrameSource video = FrameSources.video(TestData.VTEST)) {
            Frame first = video.next().orElseThrow();
            double[] before = first.bgr().get(300, 400);
            for (int i = 0; i < 50; i++) {
                video.next().orElseThrow().close();
            }
            assertArrayEquals(before, first.bgr().get(300, 400));
            first.close();
        }
    }

    @Test
    void seekMovesToAFrame() throws Exception {
        try (FrameSource video = FrameSources.video(TestData.VTEST)) {
            video.seek(100);
            try (Frame f = video.next().orElseThrow()) {
                assertTrue(f.timestampMs() > 3000, "frame 100 at 10 fps is near 10 s, got " + f.timestampMs());
            }
        }
    }

    @Test
    void corruptVideoIsAOneLineErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("broken.mp4");
        Files.writeString(fake, "this is not a video at all");
        SegbenchException e = assertThrows(SegbenchException.class, () -> FrameSources.open(fake));
        assertEquals(fake, e.file().orElseThrow());
        assertTrue(e.problem().startsWith("unreadable video"), e.problem());
        assertFalse(e.getMessage().contains("\n"));

        Path truncated = dir.resolve("truncated.avi");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(TestData.VTEST), 2000));
        // a cut-off file either fails to open or ends early: it never hangs or crashes
        try (FrameSource s = FrameSources.open(truncated)) {
            int n = 0;
            try {
                while (s.next().isPresent() && n < 1000) {
                    n++;
                }
            } catch (SegbenchException decode) {
                assertEquals(truncated, decode.file().orElseThrow());
            }
            assertTrue(n < 795);
        } catch (SegbenchException open) {
            assertEquals(truncated, open.file().orElseThrow());
        }
    }

    @Test
    void folderOfImagesSkipsABadFileAndGoesOn(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Mat grey = new Mat(20, 30, CvType.CV_8UC3, new Scalar(1, 2, 3));
        ImageFiles.write(dir.resolve("a.png"), grey);
        Files.writeString(dir.resolve("b.png"), "not a png");
        ImageFiles.write(dir.resolve("c.jpg"), grey);
        Files.writeString(dir.resolve("notes.txt"), "ignored: not an image name");
        List<String> names = new ArrayList<>();
        List<Path> bad = new ArrayList<>();
        try (FrameSource s = FrameSources.open(dir)) {
            assertEquals(3, s.frameCount());
            while (true) {
                try {
                    Optional<Frame> f = s.next();
                    if (f.isEmpty()) {
                        break;
                    }
                    names.add(f.get().name());
                    f.get().close();
                } catch (SegbenchException e) {
                    bad.add(e.file().orElseThrow());
                }
            }
        }
        assertEquals(List.of("a", "c"), names);
        assertEquals(List.of(dir.resolve("b.png")), bad);
    }

    @Test
    void missingInputsAndEmptyFoldersAreErrors(@TempDir Path dir) {
        SegbenchException e = assertThrows(SegbenchException.class, () -> FrameSources.open(dir));
        assertEquals(dir + ": no images in folder", e.getMessage());
        Path missing = dir.resolve("nothing.png");
        e = assertThrows(SegbenchException.class, () -> FrameSources.open(missing));
        assertEquals(missing, e.file().orElseThrow());
        e = assertThrows(SegbenchException.class, () -> ImageFiles.readBgr(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void noWebcamIsAClearMessage() {
        if (Files.exists(Path.of("/dev/video9"))) {
            return;
        }
        SegbenchException e = assertThrows(SegbenchException.class, () -> FrameSources.webcam(9));
        assertEquals("/dev/video9: no webcam (device not present)", e.getMessage());
    }

    @Test
    void writtenMp4IsReadBack(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path mp4 = dir.resolve("out.mp4");
        try (VideoWriter w = VideoWriter.open(mp4, 64, 48, 10)) {
            for (int i = 0; i < 12; i++) {
                Mat m = new Mat(48, 64, CvType.CV_8UC3, new Scalar(i * 20, 100, 200 - i * 10));
                w.write(m);
                m.release();
            }
        }
        try (FrameSource s = FrameSources.open(mp4)) {
            int n = 0;
            Optional<Frame> f;
            while ((f = s.next()).isPresent()) {
                try (Frame frame = f.get()) {
                    assertEquals(64, frame.width());
                    if (n == 5) {
                        double[] px = frame.bgr().get(24, 32);
                        assertEquals(100, px[0], 12, "blue of frame 5");
                        assertEquals(100, px[1], 12);
                        assertEquals(150, px[2], 12);
                    }
                }
                n++;
            }
            assertEquals(12, n);
        }
    }

    @Test
    void argbRoundTrip() {
        int[] argb = {0xFF102030, 0xFFFFFFFF, 0xFF000000, 0xFF804080};
        Mat bgr = ImageFiles.argbToBgr(argb, 2, 2);
        assertArrayEquals(new double[] {0x30, 0x20, 0x10}, bgr.get(0, 0));
        assertArrayEquals(argb, ImageFiles.bgrToArgb(bgr));
    }

    @Test
    void aVideoWithAnUnknownExtensionIsStillOpened(@TempDir Path dir) throws Exception {
        Path odd = dir.resolve("clip.vid");
        Files.copy(TestData.VTEST, odd);
        try (FrameSource s = FrameSources.open(odd)) {
            assertTrue(s instanceof VideoSource);
            assertTrue(s.next().isPresent());
        }
        Path text = dir.resolve("notes.xyz");
        Files.writeString(text, "neither image nor video");
        try (FrameSource s = FrameSources.open(text)) {
            SegbenchException e = assertThrows(SegbenchException.class, s::next);
            assertTrue(e.problem().startsWith("not a readable image"), e.problem());
        }
    }
}
