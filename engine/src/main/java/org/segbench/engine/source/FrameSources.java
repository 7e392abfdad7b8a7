package org.segbench.engine.source;

import org.segbench.engine.SegbenchException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens the right {@link FrameSource} for a path: image, folder of images, or video. */
public final class FrameSources {
    private FrameSources() {
    }

    /**
     * A folder -> its images sorted by name; a video extension ({@code .mp4}, {@code .avi}, ...)
     * -> the video; an image extension -> that image; any other file -> a video if FFmpeg can
     * read it, else a single image.
     */
    public static FrameSource open(Path path) throws SegbenchException {
        if (Files.isDirectory(path)) {
            List<Path> images = ImageFiles.listImages(path);
            if (images.isEmpty()) {
                throw new SegbenchException(path, "no images in folder");
            }
            return new ImageListSource(images, path.toString());
        }
        if (!Files.exists(path)) {
            throw new SegbenchException(path, "no such file or folder");
        }
        if (ImageFiles.isVideo(path)) {
            return VideoSource.open(path);
        }
        if (!ImageFiles.isImage(path)) {
            // an extension we do not know: FFmpeg may still read it as a video
            try {
                return VideoSource.open(path);
            } catch (SegbenchException notAVideo) {
                // then it is reported as an image that cannot be read
            }
        }
        return new ImageListSource(List.of(path), path.toString());
    }

    /** Several images, in the given order. */
    public static FrameSource images(List<Path> files) {
        return new ImageListSource(files, files.size() == 1 ? files.get(0).toString() : files.size() + " images");
    }

    /** A video file. */
    public static FrameSource video(Path file) throws SegbenchException {
        return VideoSource.open(file);
    }

    /** Webcam {@code device} (0 = {@code /dev/video0}); fails with a clear message if there is none. */
    public static FrameSource webcam(int device) throws SegbenchException {
        return VideoSource.webcam(device);
    }
}
