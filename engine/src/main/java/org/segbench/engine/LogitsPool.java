package org.segbench.engine;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Arrays for the logits a {@link ScoreMap} keeps, given back when the map is released. A video
 * pane makes one score map per frame and releases the one it showed before; without reuse each is
 * a fresh multi-megabyte array, over G1's region size, so every frame was a humongous allocation
 * and a young collection came every half second. Holds at most a few arrays of the last size asked.
 */
public final class LogitsPool implements Consumer<float[]> {
    private static final int KEPT = 3;

    private final ArrayDeque<float[]> free = new ArrayDeque<>();

    /** An array of exactly {@code n} floats, reused when one is free (its contents are stale). */
    public synchronized float[] take(int n) {
        while (!free.isEmpty()) {
            float[] a = free.pop();
            if (a.length == n) {
                return a;
            }
        }
        return new float[n];
    }

    /** Gives an array back; nobody may read it afterwards. */
    @Override
    public synchronized void accept(float[] array) {
        if (free.size() < KEPT && (free.isEmpty() || free.peek().length == array.length)) {
            free.push(array);
        }
    }

    /** Arrays waiting to be reused (for tests). */
    synchronized int free() {
        return free.size();
    }
}
