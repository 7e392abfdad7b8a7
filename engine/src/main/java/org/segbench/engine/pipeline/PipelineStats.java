package org.segbench.engine.pipeline;

import org.segbench.engine.metrics.LatencyStats;

/**
 * A snapshot of a pipeline's per-stage timings and counts. Stage means are each stage's own busy
 * time per frame; with stages overlapping, throughput is set by the slowest stage (and by the
 * cores they share), not by their sum.
 *
 * @param decode      decoding a frame from the source
 * @param preprocess  resize, normalise, NCHW
 * @param inference   {@code session.run}
 * @param argmax      logits to the label map at frame size
 * @param render      colouring and overlay
 * @param latency     decode start to result ready, queue waits included
 * @param delivered   results handed out
 * @param dropped     frames dropped by the latest-frame-wins policy (input and output side)
 * @param cpu         CPU milliseconds per frame of each stage's own thread: the wall times above
 *                    include waiting for a core; these do not (ONNX Runtime's worker threads are
 *                    not in {@code inference}, only the share of the thread that calls it)
 */
public record PipelineStats(LatencyStats decode, LatencyStats preprocess, LatencyStats inference, LatencyStats argmax,
                            LatencyStats render, LatencyStats latency, long delivered, long dropped, Cpu cpu) {

    /** Mean CPU milliseconds per frame, by stage thread. */
    public record Cpu(double decode, double preprocess, double inference, double argmax, double render) {
    }
}
