package org.segbench.engine.pipeline;

import org.segbench.engine.SegbenchException;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A video (or image folder) played over and over, reopened at each end, with frame indices that
 * keep counting up: the endless input that soak tests and long benchmarks need from a short clip.
 * Reopening rather than seeking to 0 because seeking in AVI/MPEG-4 streams lands on key frames.
 */
public final class LoopingSource implements FrameSource {
    private final Path path;
    private FrameSource current;
    private long index;
    private long loops;

    public LoopingSource(Path path) throws SegbenchException {
        this.path = path;
        this.current = FrameSources.open(path);
    }

    @Override
    public Optional<Frame> next() throws SegbenchException {
        Optional<Frame> f = current.next();
        if (f.isEmpty()) {
            current.close();
            current = FrameSources.open(path);
            loops++;
            f = current.next();
            if (f.isEmpty()) {
                throw new SegbenchException(path, "no frames to loop over");
            }
        }
        Frame frame = f.get();
        return Optional.of(new Frame(frame.bgr(), index++, frame.timestampMs(), frame.file()));
    }

    /** Times the input was played to its end and restarted. */
    public long loops() {
        return loops;
    }

    @Override
    public long frameCount() {
        return -1;
    }

    @Override
    public double fps() {
        return current.fps();
    }

    @Override
    public boolean seekable() {
        return false;
    }

    @Override
    public void seek(long i) throws SegbenchException {
        throw new SegbenchException(path, "a looping source cannot seek");
    }

    @Override
    public String description() {
        return current.description() + " (looped)";
    }

    @Override
    public void close() {
        current.close();
    }
}
