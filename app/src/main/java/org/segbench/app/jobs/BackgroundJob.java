package org.segbench.app.jobs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Long work the tool bar shows with progress and Cancel. Not a {@code javafx.concurrent.Task}: its
 * properties go through an injected FX executor, so the view-models that run jobs are tested
 * without the JavaFX toolkit.
 */
public final class BackgroundJob {
    private final Executor fx;
    private final StringProperty title = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty(-1);
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private volatile boolean cancelled;

    /** @param fx runs on the FX thread, where the properties are set */
    public BackgroundJob(String title, Executor fx) {
        this.fx = fx;
        this.title.set(title);
    }

    public StringProperty titleProperty() { return title; }
    public StringProperty messageProperty() { return message; }
    /** Fraction done, or -1 before the amount of work is known. */
    public DoubleProperty progressProperty() { return progress; }

    /** Asks the work to stop after the item it is on. */
    public void cancel() { cancelled = true; }
    public boolean isCancelled() { return cancelled; }

    /** Completes with the number of items done, after the job's own end-of-work steps ran. */
    public CompletableFuture<Integer> done() { return done; }

    /** From the worker: the item it is on and how far it is. */
    public void update(String item, long finished, long total) {
        fx.execute(() -> {
            message.set(item);
            progress.set(total <= 0 ? -1 : finished / (double) total);
        });
    }

    /** From the FX thread, once the job's results are shown. */
    public void finish(int items) { done.complete(items); }

    /** From the FX thread, when the work threw. */
    public void fail(Throwable t) { done.completeExceptionally(t); }
}
