package org.segbench.engine.source;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;
import org.segbench.engine.OpenCv;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Videos whose rows FFmpeg pads (odd and tiny widths) decode to the pixels that were written,
 * as 8-bit BGR, not as a Mat with the stride taken for channels.
 */
class PaddedRowVideoTest {

    /**
     * An MJPEG AVI from OpenCV's built-in writer (it takes any width, unlike FFmpeg's recorders,
     * which round odd widths up): frame k is one flat grey, which JPEG keeps nearly exactly.
     */
    private static Path write(Path file, int width, int height, int frames) {
        OpenCv.load();
        VideoWriter w = new VideoWriter(file.toString(), Videoio.CAP_OPENCV_MJPEG,
                VideoWriter.fourcc('M', 'J', 'P', 'G'), 10, new org.opencv.core.Size(width, height), true);
        assertTrue(w.isOpened(), "OpenCV's MJPEG writer");
        for (int k = 0; k < frames; k++) {
            Mat m = new Mat(height, width, CvType.CV_8UC3, colour(k));
            w.write(m);
            m.release();
        }
        w.release();
        return file;
    }

    private static Scalar colour(int k) {
        // grey: tiny JPEGs lose most of their chroma, and the rows are what this test is about
        double v = 50 + 70 * k;
        return new Scalar(v, v, v);
    }

    @ParameterizedTest
    @CsvSource({"1,1", "2,2", "5,3", "16,1", "1,16", "22,22", "40,30"})
    void oddAndTinySizesDecodeToTheWrittenPixels(int width, int height, @TempDir Path dir) throws Exception {
        Path avi = write(dir.resolve("tiny.avi"), width, height, 3);
        try (FrameSource video = FrameSources.open(avi)) {
            for (int k = 0; k < 3; k++) {
                Optional<Frame> f = video.next();
                assertTrue(f.isPresent(), "frame " + k);
                try (Frame frame = f.get()) {
                    assertEquals(CvType.CV_8UC3, frame.bgr().type());
                    assertEquals(width, frame.width());
                    assertEquals(height, frame.height());
                    byte[] got = new byte[width * height * 3];
                    frame.bgr().get(0, 0, got);
                    double[] expected = colour(k).val;
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(expected[i % 3], got[i] & 0xFF, 12, width + "x" + height + " frame " + k
                                + " byte " + i);
                    }
                }
            }
            assertTrue(video.next().isEmpty());
        }
    }
}
