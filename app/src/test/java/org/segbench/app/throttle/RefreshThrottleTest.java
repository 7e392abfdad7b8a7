package org.segbench.app.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.segbench.app.testing.FxThreadStandIn;

class RefreshThrottleTest {

    @Test
    void aBurstOfRequestsRunsOnceAtOnceAndOnceAtTheEndWithTheLatestValue() throws Exception {
        try (FxThreadStandIn fx = new FxThreadStandIn()) {
            AtomicInteger value = new AtomicInteger();
            List<Integer> shown = new CopyOnWriteArrayList<>();
            RefreshThrottle throttle = new RefreshThrottle(fx, Duration.ofMillis(300), () -> shown.add(value.get()));
            value.set(1);
            throttle.request();
            fx.await("the first request runs at once", 5, () -> shown.size() == 1);
            for (int i = 2; i <= 100; i++) {  // a video's worth of results inside one interval
                value.set(i);
                throttle.request();
            }
            fx.await("the burst's last value shown", 5, () -> shown.contains(100));
            Thread.sleep(500);
            assertEquals(List.of(1, 100), shown, "one run for the burst, with its last value");
        }
    }

    @Test
    void runsAreAtLeastAnIntervalApart() throws Exception {
        try (FxThreadStandIn fx = new FxThreadStandIn()) {
            List<Long> runs = new CopyOnWriteArrayList<>();
            RefreshThrottle throttle = new RefreshThrottle(fx, Duration.ofMillis(100), () -> runs.add(System.nanoTime()));
            long end = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < end) {
                throttle.request();
                Thread.sleep(2);
            }
            Thread.sleep(300);
            assertTrue(runs.size() >= 5 && runs.size() <= 12, runs.size() + " runs in 1 s at a 100 ms interval");
            for (int i = 1; i < runs.size(); i++) {
                assertTrue(runs.get(i) - runs.get(i - 1) >= 95_000_000L, "runs " + (i - 1) + " and " + i + " closer than the interval");
            }
        }
    }

    @Test
    void aClosedTargetIsNotAnError() {
        FxThreadStandIn fx = new FxThreadStandIn();
        fx.close();
        RefreshThrottle throttle = new RefreshThrottle(fx, Duration.ofMillis(50), () -> { });
        throttle.request();  // rejected quietly: the window is closing
        throttle.request();
    }
}
