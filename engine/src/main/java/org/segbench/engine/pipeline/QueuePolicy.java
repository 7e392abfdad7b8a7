package org.segbench.engine.pipeline;

/** What a {@link FramePipeline} does when a stage is slower than the one feeding it. */
public enum QueuePolicy {
    /** The faster stage waits: every frame is processed, in order (batch runs, benchmarks). */
    BLOCKING,
    /**
     * The oldest waiting frame is dropped for the new one: what a live view needs, which must show
     * the newest frame rather than fall further behind. Dropped frames give their buffers back.
     */
    LATEST_FRAME_WINS
}
