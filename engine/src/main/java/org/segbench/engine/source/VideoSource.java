package org.segbench.engine.source;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.OpenCv;
import org.segbench.engine.SegbenchException;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A video file or a webcam through JavaCV's {@link FFmpegFrameGrabber}. OpenCV's own videoio from
 * Maven Central has no FFmpeg and opens neither H.264 MP4 nor MS-MPEG4 AVI; FFmpeg does both.
 */
public final class VideoSource implements FrameSource {
    private final FFmpegFrameGrabber grabber;
    private final String description;
    private final Path file;
    private final boolean live;
    private long index;

    private VideoSource(FFmpegFrameGrabber grabber, String description, Path file, boolean live) {
        this.grabber = grabber;
        this.description = description;
        this.file = file;
        this.live = live;
    }

    /** Opens a video file. */
    public static VideoSource open(Path file) throws SegbenchException {
        if (!Files.isRegularFile(file)) {
            throw new SegbenchException(file, "no such video file");
        }
        return start(new FFmpegFrameGrabber(file.toFile()), file.toString(), file, false);
    }

    /** Opens webcam {@code device} ({@code /dev/videoN} through video4linux2). */
    public static VideoSource webcam(int device) throws SegbenchException {
        Path dev = Path.of("/dev/video" + device);
        if (!Files.exists(dev)) {
            throw new SegbenchException(dev, "no webcam (device not present)");
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(dev.toString());
        g.setFormat("video4linux2");
        return start(g, "webcam " + device, dev, true);
    }

    private static VideoSource start(FFmpegFrameGrabber g, String description, Path file, boolean live)
            throws SegbenchException {
        OpenCv.load();
        // our one-line errors say what went wrong; FFmpeg's own stderr chatter would not
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            g.start();
            if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
                throw new SegbenchException(file, "no video stream");
            }
        } catch (FrameGrabber.Exception e) {
            closeQuietly(g);
            throw new SegbenchException(file, "unreadable video: " + firstLine(e.getMessage()), e);
        } catch (SegbenchException e) {
            closeQuietly(g);
            throw e;
        }
        return new VideoSource(g, description, file, live);
    }

    @Override
    public Optional<Frame> next() throws SegbenchException {
        try {
            while (true) {
                org.bytedeco.javacv.Frame f = grabber.grabImage();
                if (f == null) {
                    return Optional.empty();
                }
                Mat view = bgrView(f);
                if (view == null || view.empty()) {
                    continue;
                }
                // the grabber reuses its buffer on the next grab: the frame owns a (continuous) copy
                double ts = f.timestamp / 1000.0;
                Mat copy = view.clone();
                view.release();
                return Optional.of(new Frame(copy, index++, ts, Optional.empty()));
            }
        } catch (FrameGrabber.Exception e) {
            throw new SegbenchException(file, "video decode failed at frame " + index + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * A view of the grabbed BGR24 image as a Mat, rows {@code imageStride} bytes apart. FFmpeg pads
     * rows to its alignment, and the generic converter derives the channel count from the stride,
     * so a padded row (widths such as 1, 5, 22 or 40) read as 192 or 4 channels; here the stride is
     * the step and the channels are always 3.
     */
    private Mat bgrView(org.bytedeco.javacv.Frame f) throws SegbenchException {
        if (f.image == null || f.image.length == 0 || f.imageWidth <= 0 || f.imageHeight <= 0) {
            return null;
        }
        long rowBytes = 3L * f.imageWidth;
        long stride = f.imageStride;
        if (!(f.image[0] instanceof ByteBuffer buf) || !buf.isDirect() || stride < rowBytes
                || buf.capacity() < stride * (f.imageHeight - 1) + rowBytes) {
            throw new SegbenchException(file, "frame " + index + " is not 8-bit BGR as asked of FFmpeg ("
                    + f.imageWidth + "x" + f.imageHeight + ", row stride " + stride + ")");
        }
        ByteBuffer whole = buf.duplicate();
        whole.clear();
        return new Mat(f.imageHeight, f.imageWidth, CvType.CV_8UC3, whole, stride);
    }

    @Override
    public long frameCount() {
        int n = live ? -1 : grabber.getLengthInVideoFrames();
        return n > 0 ? n : -1;
    }

    @Override
    public double fps() {
        return grabber.getVideoFrameRate();
    }

    @Override
    public boolean seekable() {
        return !live;
    }

    @Override
    public void seek(long frameIndex) throws SegbenchException {
        if (live) {
            throw new SegbenchException(file, "a webcam cannot seek");
        }
        try {
            grabber.setVideoFrameNumber((int) frameIndex);
            index = frameIndex;
        } catch (FrameGrabber.Exception e) {
            throw new SegbenchException(file, "cannot seek to frame " + frameIndex + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** Frame width in pixels. */
    public int width() {
        return grabber.getImageWidth();
    }

    /** Frame height in pixels. */
    public int height() {
        return grabber.getImageHeight();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception ignored) {
            // closing after a failure: the first error is the one to report
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s.strip() : s.substring(0, nl).strip();
    }
}
