package org.segbench.app.throttle;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a refresh at most once per interval however often it is asked for, and always once after
 * the last request, so a display ends on the newest numbers. For numbers that change with every
 * frame: at 25 frames a second the eye reads a few updates a second, and each label or table
 * update costs the FX thread CSS and layout work on every pulse.
 * <p>
 * The first request after a quiet interval runs at once (a single step or a click answers without
 * delay); requests within the interval after it are merged into one run at its end.
 */
public final class RefreshThrottle {
    /** What the panes see: four refreshes a second. */
    public static final Duration DISPLAY = Duration.ofMillis(250);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "refresh-throttle");
        t.setDaemon(true);
        return t;
    });

    private final Executor target;
    private final long intervalNanos;
    private final Runnable refresh;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long lastRun;

    /**
     * @param target  where the refresh runs (the FX thread)
     * @param refresh what to run; it reads the latest state itself
     */
    public RefreshThrottle(Executor target, Duration interval, Runnable refresh) {
        this.target = target;
        this.intervalNanos = interval.toNanos();
        this.refresh = refresh;
        this.lastRun = System.nanoTime() - intervalNanos;
    }

    /** Asks for a refresh, from any thread; cheap when one is already on its way. */
    public void request() {
        if (!pending.compareAndSet(false, true)) return;
        long wait = lastRun + intervalNanos - System.nanoTime();
        try {
            if (wait <= 0) {
                target.execute(this::run);
            } else {
                TIMER.schedule(this::handOver, wait, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException | IllegalStateException closing) {
            pending.set(false);  // the target shut down: nothing left to refresh
        }
    }

    private void handOver() {
        try {
            target.execute(this::run);
        } catch (RuntimeException closing) {
            pending.set(false);  // rejected, or the FX toolkit has exited
        }
    }

    private void run() {
        lastRun = System.nanoTime();
        // Cleared before refreshing: a request arriving while it runs gets a run of its own.
        pending.set(false);
        refresh.run();
    }
}
