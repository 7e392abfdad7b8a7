package org.segbench.engine;

/** Milliseconds spent per stage on one frame. */
public record Timings(double preprocessMs, double inferenceMs, double postprocessMs) {
    public double totalMs() {
        return preprocessMs + inferenceMs + postprocessMs;
    }
}
