package org.segbench.engine;

import org.segbench.engine.session.NetworkOutput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A few network output buffers handed out and back, made on first use: the frames of
 * {@link SegmentationModel#infer} that wait to be finished. A taker blocks while all are out; one
 * that waits far longer than any frame takes has a caller that never finishes its frames.
 */
final class OutputBuffers implements AutoCloseable {
    private static final long STUCK_SECONDS = 60;

    private final Path model;
    private final Supplier<NetworkOutput> make;
    private final int capacity;
    private final BlockingQueue<NetworkOutput> spare;
    private final List<NetworkOutput> made = new ArrayList<>();

    OutputBuffers(Path model, Supplier<NetworkOutput> make, int capacity) {
        this.model = model;
        this.make = make;
        this.capacity = capacity;
        this.spare = new ArrayBlockingQueue<>(capacity);
    }

    NetworkOutput take() throws SegbenchException {
        NetworkOutput out = spare.poll();
        if (out != null) {
            return out;
        }
        synchronized (made) {
            if (made.size() < capacity) {
                NetworkOutput fresh = make.get();
                made.add(fresh);
                return fresh;
            }
        }
        try {
            out = spare.poll(STUCK_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SegbenchException(model, "interrupted while waiting for an output buffer");
        }
        if (out == null) {
            throw new IllegalStateException(model.getFileName() + ": all " + capacity
                    + " output buffers are held by frames never finished (call finish() or discard())");
        }
        return out;
    }

    void give(NetworkOutput out) {
        spare.offer(out);
    }

    @Override
    public void close() {
        synchronized (made) {
            made.forEach(NetworkOutput::close);
        }
    }
}
