package org.segbench.app.inference;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A second thread behind a pane's {@link LatestFrameWorker}: the worker hands each job over and
 * goes on with the next frame while this thread finishes the job. The handover waits until this
 * thread is free (no queue), so at most one job runs here and one waits in the worker, and a
 * slow second stage slows the worker instead of piling work up.
 */
public final class HandoffStage<J> implements AutoCloseable {
    private static final long POLL_MS = 100;

    private final SynchronousQueue<J> slot = new SynchronousQueue<>();
    private final Consumer<J> body;
    private final Thread thread;
    private volatile boolean closed;

    public HandoffStage(String name, Consumer<J> body) {
        this.body = body;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits until this stage takes the job; false, with the job not taken, once the stage is
     * closed or the caller interrupted.
     */
    public boolean handOff(J job) {
        try {
            while (!closed) {
                if (slot.offer(job, POLL_MS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void loop() {
        while (!closed) {
            J job;
            try {
                job = slot.poll(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) {
                continue;
            }
            try {
                body.accept(job);
            } catch (RuntimeException e) {
                // The body reports its own failures; a stray one must not kill the stage.
                e.printStackTrace();
            }
        }
    }

    /** Takes no more jobs; a running one finishes. */
    @Override
    public void close() {
        closed = true;
    }

    /** Waits up to {@code millis} for the running job, if any, after {@link #close()}; true when done. */
    public boolean awaitExit(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }
}
