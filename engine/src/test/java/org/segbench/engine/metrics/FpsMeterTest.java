package org.segbench.engine.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FpsMeterTest {
    @Test
    void paperFpsDropsBurnInThenAverages() {
        FpsMeter m = new FpsMeter(2, 2);
        m.record(1000); // burn-in
        m.record(1000); // burn-in
        m.record(10);
        m.record(30);
        assertEquals(50.0, m.fps(), 1e-9, "1000 / mean(10, 30)");
        assertEquals(50.0, m.liveFps(), 1e-9, "window of the last 2");
        m.record(50);
        assertEquals(1000.0 / 30, m.fps(), 1e-9);
        assertEquals(1000.0 / 40, m.liveFps(), 1e-9);
        assertEquals(5, m.frames());
    }

    @Test
    void nothingMeasuredIsNaN() {
        FpsMeter m = new FpsMeter(5, 10);
        assertTrue(Double.isNaN(m.fps()));
        assertTrue(Double.isNaN(m.liveFps()));
        m.record(10);
        assertTrue(Double.isNaN(m.fps()), "still in burn-in");
        assertEquals(100.0, m.liveFps(), 1e-9);
    }

    @Test
    void latencyStatsHaveMedianAndP90() {
        LatencyStats s = LatencyStats.of(new double[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
        assertEquals(5.5, s.meanMs(), 1e-12);
        assertEquals(5.5, s.medianMs(), 1e-12);
        assertEquals(9.1, s.p90Ms(), 1e-12);
        assertEquals(1000 / 5.5, s.fps(), 1e-9);
    }
}
