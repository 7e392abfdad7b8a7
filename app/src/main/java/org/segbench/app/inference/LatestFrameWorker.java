package org.segbench.app.inference;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One background thread per pane with a single-slot mailbox: a new job replaces a job that has not
 * started yet (that frame is dropped and counted), a running job always finishes. So a slow model
 * shows fewer frames instead of queueing without bound, and never blocks the FX thread or the player.
 *
 * <p>Not a javafx.concurrent.Service on purpose: Service.restart() cancels the running task, which
 * for a model slower than the frame rate would mean it never finishes a single frame.
 */
public final class LatestFrameWorker<J> implements AutoCloseable {
    private final AtomicReference<J> pending = new AtomicReference<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final Object lock = new Object();
    private final Consumer<J> body;
    private final Thread thread;
    private volatile boolean busy;
    private volatile boolean closed;
    private volatile Runnable onExit = () -> { };

    public LatestFrameWorker(String name, Consumer<J> body) {
        this.body = body;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Offers a job; returns false when it replaced a pending job (that one is dropped). */
    public boolean submit(J job) {
        J previous = pending.getAndSet(job);
        synchronized (lock) { lock.notifyAll(); }
        if (previous != null) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Runs on the worker thread after its last job, e.g. to close a native session safely. */
    public void setOnExit(Runnable r) { this.onExit = r; }

    public long dropped() { return dropped.get(); }
    public long completed() { return completed.get(); }
    /** True while a job runs or waits. */
    public boolean isBusy() { return busy || pending.get() != null; }

    private void loop() {
        try {
            work();
        } finally {
            onExit.run();
        }
    }

    private void work() {
        while (!closed) {
            J job = pending.getAndSet(null);
            if (job == null) {
                synchronized (lock) {
                    if (pending.get() == null && !closed) {
                        try {
                            lock.wait(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                continue;
            }
            busy = true;
            try {
                body.accept(job);
            } catch (RuntimeException e) {
                // The body reports its own failures; a stray one must not kill the pane's thread.
                e.printStackTrace();
            } finally {
                busy = false;
                completed.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) { lock.notifyAll(); }
    }

    /**
     * Waits up to {@code millis} for the thread to finish its running job and its exit action;
     * true when it has. Call after {@link #close()} before the JVM exits: a daemon thread still
     * inside native inference when the process shuts down can crash it.
     */
    public boolean awaitExit(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }
}
