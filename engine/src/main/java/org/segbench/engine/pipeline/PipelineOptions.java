package org.segbench.engine.pipeline;

import org.segbench.engine.session.SessionTuning;

/**
 * How a {@link FramePipeline} runs.
 *
 * @param policy        what a full queue does: wait ({@code BLOCKING}) or drop the oldest frame
 * @param queueCapacity frames waiting between two stages (1 keeps latency low; more absorbs jitter)
 * @param maxFrames     stop after this many frames from the source; 0 = until the source ends
 * @param alpha         overlay opacity, 0..1
 * @param overlay       render the coloured overlay (off: label maps only)
 * @param tuning        ONNX Runtime options of the pipeline's session
 */
public record PipelineOptions(QueuePolicy policy, int queueCapacity, long maxFrames, double alpha, boolean overlay,
                              SessionTuning tuning) {
    public PipelineOptions {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1");
        }
    }

    /** Every frame, in order; queues of 2; overlay at alpha 0.5; {@link SessionTuning#pipeline()}. */
    public static PipelineOptions blocking() {
        return new PipelineOptions(QueuePolicy.BLOCKING, 2, 0, 0.5, true, SessionTuning.pipeline());
    }

    /** For live views: newest frame wins, one frame per queue. */
    public static PipelineOptions latestFrameWins() {
        return new PipelineOptions(QueuePolicy.LATEST_FRAME_WINS, 1, 0, 0.5, true, SessionTuning.pipeline());
    }

    public PipelineOptions withMaxFrames(long n) {
        return new PipelineOptions(policy, queueCapacity, n, alpha, overlay, tuning);
    }

    public PipelineOptions withTuning(SessionTuning t) {
        return new PipelineOptions(policy, queueCapacity, maxFrames, alpha, overlay, t);
    }
}
