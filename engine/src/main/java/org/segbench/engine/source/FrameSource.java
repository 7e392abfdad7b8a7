package org.segbench.engine.source;

import org.segbench.engine.SegbenchException;

import java.util.Optional;

/**
 * Frames from images, a folder, a video file or a webcam, one after another. Open one with
 * {@link FrameSources}. Not thread-safe; close it when done.
 *
 * <p>For image lists a file that cannot be read makes {@link #next()} throw a
 * {@link SegbenchException} naming it, and the source moves past it: call {@code next()} again to
 * go on with the rest of the batch.
 */
public interface FrameSource extends AutoCloseable {

    /** The next frame, or empty at the end. */
    Optional<Frame> next() throws SegbenchException;

    /** Number of frames, or -1 when unknown (webcam, some videos). */
    long frameCount();

    /** Frames per second of a video or webcam; {@code NaN} for still images. */
    double fps();

    /** Whether {@link #seek} works (image lists and video files). */
    boolean seekable();

    /** Makes frame {@code index} the next one {@link #next()} returns. */
    void seek(long index) throws SegbenchException;

    /** A short description for users: the folder, file or device. */
    String description();

    @Override
    void close();
}
