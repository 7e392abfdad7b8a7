package org.segbench.engine.source;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.opencv.core.Mat;
import org.segbench.engine.OpenCv;
import org.segbench.engine.SegbenchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.segbench.engine.io.AtomicFiles;

import java.nio.file.Path;

/**
 * Writes 8-bit BGR frames to an MP4 with JavaCV's {@link FFmpegFrameRecorder}: H.264 when the
 * FFmpeg build has an encoder for it (the LGPL build ships OpenH264), else MPEG-4 part 2.
 */
public final class VideoWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VideoWriter.class);
    private final FFmpegFrameRecorder recorder;
    private final OpenCVFrameConverter.ToOrgOpenCvCoreMat converter = new OpenCVFrameConverter.ToOrgOpenCvCoreMat();
    private final Path file;
    private final Path partial;
    private final int width;
    private final int height;

    private VideoWriter(FFmpegFrameRecorder recorder, Path file, Path partial, int width, int height) {
        this.recorder = recorder;
        this.file = file;
        this.partial = partial;
        this.width = width;
        this.height = height;
    }

    /**
     * Starts an MP4 of {@code width x height} at {@code fps} (25 when unknown). Frames go to a
     * hidden temporary file that {@link #close} renames onto {@code file}: an interrupted run
     * leaves no unplayable video under the final name.
     */
    public static VideoWriter open(Path file, int width, int height, double fps) throws SegbenchException {
        OpenCv.load();
        // our one-line errors say what went wrong; FFmpeg's own stderr chatter would not
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
        if (width < 2 || height < 2) {
            throw new SegbenchException(file, "a " + width + "x" + height + " frame is too small to encode as MP4");
        }
        Path partial = AtomicFiles.temporary(file);
        // yuv420p wants even sizes
        int w = width & ~1;
        int h = height & ~1;
        SegbenchException last = null;
        for (int codec : new int[] {avcodec.AV_CODEC_ID_H264, avcodec.AV_CODEC_ID_MPEG4}) {
            FFmpegFrameRecorder r = new FFmpegFrameRecorder(partial.toFile(), w, h, 0);
            r.setFormat("mp4");
            r.setVideoCodec(codec);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(Double.isFinite(fps) && fps > 0 ? fps : 25);
            r.setVideoBitrate(Math.max(1_000_000, w * h * 4));
            try {
                r.start();
                return new VideoWriter(r, file, partial, w, h);
            } catch (FrameRecorder.Exception e) {
                last = new SegbenchException(file, "cannot start the video encoder: " + e.getMessage(), e);
                LOG.debug("{}: codec {} unavailable: {}", file, codec, e.getMessage());
                try {
                    r.release();
                } catch (FrameRecorder.Exception ignored) {
                    // the start failure is what matters
                }
            }
        }
        AtomicFiles.deleteQuietly(partial);
        throw last;
    }

    /** Appends a frame (cropped to even size if needed). */
    public void write(Mat bgr) throws SegbenchException {
        Mat m = bgr.cols() == width && bgr.rows() == height ? bgr
                : bgr.submat(0, height, 0, width).clone();
        try {
            recorder.record(converter.convert(m), avutil.AV_PIX_FMT_BGR24);
        } catch (FrameRecorder.Exception e) {
            throw new SegbenchException(file, "video encoding failed: " + e.getMessage(), e);
        } finally {
            if (m != bgr) {
                m.release();
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Finishes the video and puts it in place under its name. */
    @Override
    public void close() throws SegbenchException {
        try {
            recorder.stop();
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            AtomicFiles.deleteQuietly(partial);
            throw new SegbenchException(file, "finishing the video failed: " + e.getMessage(), e);
        }
        AtomicFiles.commit(partial, file);
    }
}
