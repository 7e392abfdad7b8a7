package org.segbench.app.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One thread that plays the FX thread for view-model tests: the view-models hand it what they
 * would hand {@code Platform.runLater}, and the test reads their properties on it. No JavaFX
 * toolkit, no stage.
 */
public final class FxThreadStandIn implements Executor, AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fx-stand-in");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void execute(Runnable r) { thread.execute(r); }

    /** Runs on this thread and waits for the answer. */
    public <T> T call(Callable<T> c) {
        try {
            return thread.submit(c).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    public void run(Runnable r) {
        call(() -> {
            r.run();
            return null;
        });
    }

    /** Polls a condition on this thread until it holds. */
    public void await(String what, int seconds, Callable<Boolean> condition) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (call(condition)) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
    }

    @Override
    public void close() { thread.shutdownNow(); }
}
