package org.segbench.spark;

import org.segbench.engine.SegbenchException;

/**
 * A task's exception reaches the driver wrapped in Spark's job failure, its message a stack of
 * "Job aborted due to stage failure" lines: the engine's one-line error is found in the causes.
 */
final class SparkFailures {
    private SparkFailures() {
    }

    /** The first {@link SegbenchException} in the cause chain, else the throwable itself. */
    static Throwable segbenchCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SegbenchException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }
}
