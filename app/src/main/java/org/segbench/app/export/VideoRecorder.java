package org.segbench.app.export;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.opencv.core.Mat;
import org.segbench.engine.source.ImageFiles;

/**
 * Writes composed views (ARGB pictures of the pane grid) to an MP4 on its own thread. The queue
 * is bounded: if encoding falls behind, frames are skipped rather than piling up in memory.
 * H.264 when the FFmpeg build has an encoder for it, else MPEG-4 Part 2 in the same container.
 */
public final class VideoRecorder implements AutoCloseable {
    /** A picture, composed on the recorder thread so the FX thread only gathers the pane pixels. */
    private record Picture(Supplier<int[]> argb) { }

    private static final Picture END = new Picture(null);

    private final Path file;
    private final int width, height;
    private final BlockingQueue<Picture> queue = new ArrayBlockingQueue<>(8);
    private final Thread thread;
    private final Consumer<String> onError;
    private volatile int written;
    private volatile int skipped;
    private volatile String codec = "";

    public VideoRecorder(Path file, int width, int height, double fps, Consumer<String> onError) {
        this.file = file;
        this.width = width; // even: see SideBySide.size (yuv420p)
        this.height = height;
        this.onError = onError;
        this.thread = new Thread(() -> run(fps), "recorder");
        thread.setDaemon(true);
        thread.start();
    }

    public Path file() { return file; }
    public int written() { return written; }
    public int skipped() { return skipped; }
    /** The encoder in use, once started: "H.264" or "MPEG-4". */
    public String codec() { return codec; }

    /** Queues one picture, width x height as given at start, made on the recorder thread. */
    public void offerLater(Supplier<int[]> picture) {
        if (!queue.offer(new Picture(picture))) skipped++;
    }

    private void run(double fps) {
        OpenCVFrameConverter.ToOrgOpenCvCoreMat converter = new OpenCVFrameConverter.ToOrgOpenCvCoreMat();
        FFmpegFrameRecorder rec = null;
        try {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            rec = start(fps, avcodec.AV_CODEC_ID_H264);
            codec = "H.264";
            if (rec == null) {
                rec = start(fps, avcodec.AV_CODEC_ID_MPEG4);
                codec = "MPEG-4";
            }
            if (rec == null) {
                onError.accept("no H.264 or MPEG-4 encoder in this FFmpeg build");
                return;
            }
            while (true) {
                Picture p = queue.poll(500, TimeUnit.MILLISECONDS);
                if (p == null) continue;
                if (p == END) break;
                Mat bgr = ImageFiles.argbToBgr(p.argb().get(), width, height);
                try {
                    rec.record(converter.convert(bgr));
                    written++;
                } finally {
                    bgr.release();
                }
            }
        } catch (Exception e) {
            onError.accept(e.getMessage());
        } finally {
            if (rec != null) {
                try {
                    rec.stop();
                    rec.release();
                } catch (Exception e) {
                    onError.accept("finishing the file failed: " + e.getMessage());
                }
            }
        }
    }

    private FFmpegFrameRecorder start(double fps, int codec) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        r.setFormat("mp4");
        r.setVideoCodec(codec);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setVideoBitrate(4_000_000);
        try {
            r.start();
            return r;
        } catch (Exception e) {
            try { r.release(); } catch (Exception ignored) { }
            return null;
        }
    }

    /** Finishes the file; waits for queued frames to be written. */
    @Override
    public void close() {
        try {
            queue.put(END);
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
