package org.segbench.engine.pipeline;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;

/**
 * The thread of one pipeline stage: the only worker of its own one-thread {@link ForkJoinPool}.
 * The engine's routines (preprocess, argmax, overlay) split rows over parallel streams, which is
 * right when a single call should use every core. In the pipeline the stages already keep the
 * cores busy by overlapping; a parallel stream started on a pool's worker runs in that pool, so
 * here it runs on the stage's own thread, with no extra threads waking, spinning and competing
 * with ONNX Runtime's.
 */
final class StageThread {
    private final ForkJoinPool pool;
    private final Runnable body;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread thread;

    StageThread(String name, Runnable body) {
        this.body = body;
        this.pool = new ForkJoinPool(1, p -> {
            ForkJoinWorkerThread t = new ForkJoinWorkerThread(p) {
            };
            t.setName(name);
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    void start() {
        pool.execute(() -> {
            thread = Thread.currentThread();
            started.countDown();
            try {
                body.run();
            } finally {
                done.countDown();
                pool.shutdown();
            }
        });
    }

    /** Interrupts the stage's work (waits briefly for it to have started, so no interrupt is lost). */
    void interrupt() {
        try {
            started.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    /** Waits for the stage's work to end. */
    boolean join(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }
}
