/**
 * The threaded frame pipeline: decode, preprocess, inference and postprocess each on its own
 * thread, overlapping, with pooled buffers and bounded queues
 * ({@link org.segbench.engine.pipeline.FramePipeline}).
 *
 * <p>It serves two commands, and only those: {@code segbench bench --pipeline} (raw
 * {@code session.run} against pipelined end-to-end FPS) and {@code segbench soak} (hours of video
 * through two models, watching memory). The workbench app does not use it: its panes run
 * {@code SegmentationModel.predict} through the app's {@code LatestFrameWorker}, one frame at a
 * time per model, which is what an interactive view with several models needs.
 *
 * <p>The per-frame work is not here: preprocessing and decoding are the {@code frame} package's,
 * opening, feeding and running a session the {@code session} package's, the same code that
 * {@code SegmentationModel.predict} runs. This package only adds threads, queues and pools.
 */
package org.segbench.engine.pipeline;
