package org.segbench.engine.source;

import org.segbench.engine.SegbenchException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Still images, in the order given: one file, several, or a folder's images. */
public final class ImageListSource implements FrameSource {
    private final List<Path> files;
    private final String description;
    private int next;

    public ImageListSource(List<Path> files, String description) {
        this.files = List.copyOf(files);
        this.description = description;
    }

    /** The files, in order. */
    public List<Path> files() {
        return files;
    }

    @Override
    public Optional<Frame> next() throws SegbenchException {
        if (next >= files.size()) {
            return Optional.empty();
        }
        int index = next++;
        Path file = files.get(index);
        // next already advanced: a bad file is skipped by calling next() again
        return Optional.of(new Frame(ImageFiles.readBgr(file), index, 0, Optional.of(file)));
    }

    @Override
    public long frameCount() {
        return files.size();
    }

    @Override
    public double fps() {
        return Double.NaN;
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public void seek(long index) {
        if (index < 0 || index > files.size()) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + files.size());
        }
        next = (int) index;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        // nothing held between frames
    }
}
