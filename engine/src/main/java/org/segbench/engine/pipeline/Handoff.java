package org.segbench.engine.pipeline;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The bounded queue between two pipeline stages. Under {@link QueuePolicy#BLOCKING} a full queue
 * makes {@link #put} wait; under {@link QueuePolicy#LATEST_FRAME_WINS} it evicts the oldest item
 * and hands it to the drop handler (which returns its buffers to their pools). Either way it never
 * holds more than {@code capacity} items. {@link #close} ends the stream: takers drain what is left,
 * then get null.
 */
final class Handoff<T> {
    private final ArrayDeque<T> items;
    private final int capacity;
    private final QueuePolicy policy;
    private final Consumer<T> onDrop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean closed;
    private long dropped;
    private int highWater;

    Handoff(int capacity, QueuePolicy policy, Consumer<T> onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.policy = policy;
        this.onDrop = onDrop;
        this.items = new ArrayDeque<>(capacity);
    }

    /**
     * Adds an item, waiting for room (blocking) or evicting the oldest (latest wins).
     *
     * @return false if the queue was closed, or the caller was interrupted (cancelled) while waiting:
     *     the item was not taken and the caller still owns it, so it releases the item's buffers
     *     (throwing here would leak them)
     */
    boolean put(T item) throws InterruptedException {
        T evicted = null;
        lock.lock();
        try {
            if (policy == QueuePolicy.BLOCKING) {
                while (items.size() >= capacity && !closed) {
                    try {
                        notFull.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            } else if (items.size() >= capacity && !closed) {
                evicted = items.pollFirst();
                dropped++;
            }
            if (closed) {
                return false;
            }
            items.addLast(item);
            highWater = Math.max(highWater, items.size());
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        if (evicted != null) {
            // outside the lock: releasing buffers may wake other stages
            onDrop.accept(evicted);
        }
        return true;
    }

    /** The next item, waiting for one; null once the queue is closed and empty. */
    T take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.isEmpty() && !closed) {
                notEmpty.await();
            }
            T item = items.pollFirst();
            if (item != null) {
                notFull.signal();
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream: no more puts; takers get what is queued, then null. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes and hands every queued item to the drop handler (cancellation, errors). */
    void discardAll() {
        ArrayDeque<T> left;
        lock.lock();
        try {
            closed = true;
            left = new ArrayDeque<>(items);
            items.clear();
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        left.forEach(onDrop);
    }

    /** Items evicted by the latest-frame-wins policy so far. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The most items ever queued at once (never above the capacity). */
    int highWater() {
        lock.lock();
        try {
            return highWater;
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }
}
