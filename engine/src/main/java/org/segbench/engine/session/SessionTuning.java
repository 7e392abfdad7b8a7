package org.segbench.engine.session;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The ONNX Runtime session options every {@link ModelSession} is opened with, chosen on purpose
 * rather than left to defaults:
 *
 * <ul>
 *   <li>graph optimisation level ALL (fusions and layout transforms; also the engine's default);</li>
 *   <li>sequential execution, so the inter-op pool is unused and sized 1: these networks are
 *       chains with little branch parallelism to exploit;</li>
 *   <li>{@code intraOpThreads}: 0 means every core. On a small CPU the convolutions want all cores,
 *       and the other pipeline stages run in the gaps between parallel sections;</li>
 *   <li>{@code spinning}: ONNX Runtime's pool threads busy-wait between parallel sections by
 *       default. That wins a little on an idle machine but burns the very cycles that decode,
 *       preprocess and postprocess need when they share the cores, so the pipeline turns it off;</li>
 *   <li>CPU memory arena and memory pattern on: with a fixed input size the same activation
 *       buffers are reused every run instead of being allocated per run.</li>
 * </ul>
 *
 * <p>A model's own session ({@link #model}, for {@code predict}) keeps ONNX Runtime's defaults:
 * there the network runs alone, between frames rather than beside other stages.
 *
 * @param intraOpThreads threads for one operator; 0 = ONNX Runtime's choice (one per core)
 * @param spinning       let idle intra-op threads spin instead of sleeping
 * @param arena          CPU memory arena
 * @param memoryPattern  pre-planned activation memory for repeated shapes
 */
public record SessionTuning(int intraOpThreads, boolean spinning, boolean arena, boolean memoryPattern) {

    /** What the threaded pipeline uses: all cores, no spinning, arena and pattern on. */
    public static SessionTuning pipeline() {
        return new SessionTuning(0, false, true, true);
    }

    /** ONNX Runtime's own defaults (spinning on): the best case for a lone {@code session.run} loop. */
    public static SessionTuning ortDefaults() {
        return new SessionTuning(0, true, true, true);
    }

    /** What a model's own session uses for {@code predict}: ONNX Runtime's defaults on {@code threads} (0 = all). */
    public static SessionTuning model(int threads) {
        return ortDefaults().withIntraOpThreads(threads);
    }

    public SessionTuning withIntraOpThreads(int n) {
        return new SessionTuning(n, spinning, arena, memoryPattern);
    }

    public SessionTuning withSpinning(boolean on) {
        return new SessionTuning(intraOpThreads, on, arena, memoryPattern);
    }

    void applyTo(OrtSession.SessionOptions options) throws OrtException {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setInterOpNumThreads(1);
        if (intraOpThreads > 0) {
            options.setIntraOpNumThreads(intraOpThreads);
        }
        options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
        options.addConfigEntry("session.inter_op.allow_spinning", spinning ? "1" : "0");
        options.setCPUArenaAllocator(arena);
        options.setMemoryPatternOptimization(memoryPattern);
    }

    @Override
    public String toString() {
        return "intra-op threads " + (intraOpThreads > 0 ? intraOpThreads : "all") + ", spinning "
                + (spinning ? "on" : "off") + ", arena " + (arena ? "on" : "off") + ", memory pattern "
                + (memoryPattern ? "on" : "off");
    }
}
