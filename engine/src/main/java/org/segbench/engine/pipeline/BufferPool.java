package org.segbench.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * A fixed set of reusable per-frame buffers (input tensors, logits, label maps, ARGB images).
 * Frames in flight borrow one and give it back, so a long video allocates no big arrays after the
 * first few frames and the heap stays flat. {@link #acquire} waits when all are lent out: that is
 * the pipeline's back-pressure.
 */
final class BufferPool<T> {
    private final BlockingQueue<T> free;
    private final List<T> all;

    BufferPool(int size, Supplier<T> factory) {
        this.free = new ArrayBlockingQueue<>(size);
        List<T> made = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            T item = factory.get();
            made.add(item);
            free.add(item);
        }
        this.all = List.copyOf(made);
    }

    T acquire() throws InterruptedException {
        return free.take();
    }

    void release(T item) {
        if (!free.offer(item)) {
            throw new IllegalStateException("released more buffers than the pool holds");
        }
    }

    /** Every buffer the pool owns (for closing, and for tests checking reuse). */
    List<T> all() {
        return all;
    }

    int available() {
        return free.size();
    }
}
