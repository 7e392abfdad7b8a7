package org.segbench.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LogitsPoolTest {
    @Test
    void givesBackArraysOfTheSizeAskedAndKeepsAFew() {
        LogitsPool pool = new LogitsPool();
        float[] a = pool.take(10);
        pool.accept(a);
        assertSame(a, pool.take(10), "a returned array is reused");
        pool.accept(a);
        assertNotSame(a, pool.take(12), "another size is never handed out");
        for (int i = 0; i < 5; i++) {
            pool.accept(new float[12]);
        }
        assertEquals(3, pool.free(), "at most three arrays wait");
    }

    @Test
    void aScoreMapGivesItsLogitsBackOnReleaseAndAfterComputingTheFullMap() {
        LogitsPool pool = new LogitsPool();
        float[] logits = pool.take(2 * 4 * 4);
        ScoreMap released = ScoreMap.of(logits, 2, 4, 4, 8, 8, pool);
        released.release();
        released.release();
        assertEquals(1, pool.free(), "released once, given back once");
        float[] again = pool.take(2 * 4 * 4);
        ScoreMap computed = ScoreMap.of(again, 2, 4, 4, 8, 8, pool);
        assertEquals(64, computed.toArray().length);
        assertEquals(1, pool.free(), "the full map no longer needs the logits");
        assertEquals(0.5f, computed.at(3, 3), 1e-6f, "equal logits (all zero): probability one half");
    }
}
