package org.segbench.engine.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.metrics.LatencyStats;
import org.segbench.engine.pipeline.FramePipeline;
import org.segbench.engine.pipeline.FrameResult;
import org.segbench.engine.pipeline.LoopingSource;
import org.segbench.engine.pipeline.PipelineOptions;
import org.segbench.engine.pipeline.PipelineSession;
import org.segbench.engine.pipeline.PipelineStats;
import org.segbench.engine.session.SessionTuning;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.lang.management.ManagementFactory;
import ai.onnxruntime.OrtException;

/**
 * {@code segbench bench --pipeline --input VIDEO}: in one run, the raw {@code session.run} FPS on
 * a prepared tensor (a preprocessed frame of the video) and the end-to-end FPS of the pipelined
 * engine on the real video, decode to coloured overlay, and their ratio.
 *
 * <p>Raw is measured twice, with ONNX Runtime's defaults (every core, idle threads spin: the best
 * case for a lone run loop) and with the pipeline's session options; the better of the two is the
 * denominator, so the ratio is never flattered by a slowed-down raw figure. End-to-end FPS is steady-state throughput: results
 * counted from the first one out to the last, pipeline fill excluded, after a warm-up pass.
 */
final class PipelineBench {
    /**
     * With automatic threads, the pipeline gives ONNX Runtime a single thread when that reaches this
     * share of the all-core raw FPS: the other stages then have a core to themselves instead of
     * preempting ONNX Runtime's workers mid-operator (a preempted worker stalls every operator).
     */
    static final double SINGLE_THREAD_SHARE = 0.6;

    private PipelineBench() {
    }

    /** The figures of one run. */
    record Figures(String model, Size frameSize, Size inputSize, int frames, double rawFps, double rawFpsOrtDefaults,
                   double rawFpsPipelineTuning, double endToEndFps, double ratio, PipelineStats stages,
                   SessionTuning tuning, double rawCpuMs, double endToEndCpuMs) {
    }

    /** CPU time of the whole process (all threads, native ones included), in nanoseconds. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    static int run(Path modelPath, ModelOptions modelOptions, Path input, int warmup, int frames, Path json)
            throws Exception {
        Figures f = measure(modelPath, modelOptions, input, warmup, frames);
        print(f);
        if (json != null) {
            Json.write(json, toJson(f, warmup));
        }
        return 0;
    }

    static Figures measure(Path modelPath, ModelOptions modelOptions, Path input, int warmup, int frames)
            throws Exception {
        String spin = System.getProperty("segbench.ort.spinning");
        // the model's own session is not run here: keep its thread pool small
        try (SegmentationModel model = SegmentationModel.load(modelPath, modelOptions.withThreads(1))) {
            Frame first = firstFrame(input);
            Size frameSize = first.size();
            Size inputSize = model.inputSizeFor(frameSize);
            FloatBuffer prepared = prepare(model, first, inputSize);
            first.close();

            Raw rawDefaults = rawFps(model, SessionTuning.ortDefaults(), prepared, inputSize, warmup, frames);
            SessionTuning tuning;
            Raw rawTuned;
            if (modelOptions.threads() > 0) {
                tuning = SessionTuning.pipeline().withIntraOpThreads(modelOptions.threads());
                rawTuned = rawFps(model, tuning, prepared, inputSize, warmup, frames);
            } else {
                // --threads 0: ONNX Runtime on one core if that is nearly as fast as on all of them
                // (small networks scale poorly), leaving the other cores to the other stages
                SessionTuning one = SessionTuning.pipeline().withIntraOpThreads(1);
                Raw rawOne = rawFps(model, one, prepared, inputSize, warmup, frames);
                boolean single = Runtime.getRuntime().availableProcessors() > 1
                        && rawOne.fps >= SINGLE_THREAD_SHARE * rawDefaults.fps;
                tuning = single ? one : SessionTuning.pipeline();
                rawTuned = single ? rawOne : rawFps(model, tuning, prepared, inputSize, warmup, frames);
            }
            if (spin != null) {
                // -Dsegbench.ort.spinning=true|false: the experiment behind SessionTuning's choice
                tuning = tuning.withSpinning(Boolean.parseBoolean(spin));
            }
            Raw best = rawDefaults.fps >= rawTuned.fps ? rawDefaults : rawTuned;

            PipelineOptions options = PipelineOptions.blocking().withTuning(tuning);
            try (PipelineSession session = PipelineSession.open(model, tuning)) {
                // warm-up pass: JIT of the Java stages, ONNX Runtime's arena and memory pattern
                throughput(session, input, options.withMaxFrames(Math.max(10, Math.min(warmup, 50))));
                Run timed = throughput(session, input, options.withMaxFrames(frames));
                return new Figures(model.name(), frameSize, inputSize, timed.frames, best.fps, rawDefaults.fps,
                        rawTuned.fps, timed.fps, timed.fps / best.fps, timed.stats, tuning, best.cpuMsPerFrame,
                        timed.cpuMsPerFrame);
            }
        }
    }

    private record Run(int frames, double fps, PipelineStats stats, double cpuMsPerFrame) {
    }

    private record Raw(double fps, double cpuMsPerFrame) {
    }

    /** Steady-state results per second: from the first result out to the last. */
    private static Run throughput(PipelineSession session, Path input, PipelineOptions options) throws Exception {
        try (FrameSource source = new LoopingSource(input);
             FramePipeline pipeline = FramePipeline.start(session, source, options)) {
            long first = 0;
            long last = 0;
            long cpuFirst = 0;
            long cpuLast = 0;
            int n = 0;
            for (FrameResult r; (r = pipeline.next()) != null; ) {
                try (FrameResult done = r) {
                    last = System.nanoTime();
                    cpuLast = processCpuNanos();
                    if (n == 0) {
                        first = last;
                        cpuFirst = cpuLast;
                    }
                    n++;
                }
            }
            double fps = n > 1 ? (n - 1) / ((last - first) / 1e9) : Double.NaN;
            return new Run(n, fps, pipeline.stats(), n > 1 ? (cpuLast - cpuFirst) / 1e6 / (n - 1) : Double.NaN);
        }
    }

    /** Plain {@code session.run} on one prepared input tensor, results fetched and closed. */
    private static Raw rawFps(SegmentationModel model, SessionTuning tuning, FloatBuffer prepared, Size inputSize,
                                 int warmup, int frames) throws SegbenchException, OrtException {
        try (PipelineSession session = PipelineSession.open(model, tuning);
             OnnxTensor image = session.imageTensor(prepared, inputSize)) {
            for (int i = 0; i < warmup; i++) {
                session.run(image).close();
            }
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            for (int i = 0; i < frames; i++) {
                try (OrtSession.Result r = session.run(image)) {
                    r.get(0); // fetched, as a caller would
                }
            }
            double fps = frames / ((System.nanoTime() - t0) / 1e9);
            return new Raw(fps, (processCpuNanos() - cpu0) / 1e6 / frames);
        }
    }

    private static Frame firstFrame(Path input) throws SegbenchException {
        try (FrameSource s = new LoopingSource(input)) {
            Optional<Frame> f = s.next();
            return f.orElseThrow();
        }
    }

    private static FloatBuffer prepare(SegmentationModel model, Frame frame, Size inputSize) {
        FloatBuffer b = model.newPreprocessor().apply(frame.bgr(), inputSize);
        FloatBuffer copy = ByteBuffer.allocateDirect(b.remaining() * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        copy.put(b).flip();
        return copy;
    }

    private static void print(Figures f) {
        System.out.printf("%s, frame %s -> input %s, %d frames; session: %s%n", f.model(), f.frameSize(),
                f.inputSize(), f.frames(), f.tuning());
        System.out.printf("raw session.run       %8.2f FPS  (ORT defaults %.2f, pipeline tuning %.2f)%n", f.rawFps(),
                f.rawFpsOrtDefaults(), f.rawFpsPipelineTuning());
        System.out.printf("end-to-end pipelined  %8.2f FPS  (decode to coloured overlay)%n", f.endToEndFps());
        System.out.printf("ratio                 %8.3f%n", f.ratio());
        System.out.printf("process CPU per frame: raw %.1f ms, end-to-end %.1f ms (%d cores: end-to-end ceiling %.1f FPS)%n",
                f.rawCpuMs(), f.endToEndCpuMs(), Runtime.getRuntime().availableProcessors(),
                1000.0 * Runtime.getRuntime().availableProcessors() / f.endToEndCpuMs());
        PipelineStats s = f.stages();
        System.out.printf("stage mean ms: decode %.2f, preprocess %.2f, inference %.2f, argmax %.2f, render %.2f;"
                        + " latency %.1f%n", s.decode().meanMs(), s.preprocess().meanMs(), s.inference().meanMs(),
                s.argmax().meanMs(), s.render().meanMs(), s.latency().meanMs());
        PipelineStats.Cpu c = s.cpu();
        System.out.printf("stage CPU ms per frame: decode %.2f, preprocess %.2f, inference (calling thread) %.2f,"
                + " argmax %.2f, render %.2f; rest of the process %.2f%n", c.decode(), c.preprocess(), c.inference(),
                c.argmax(), c.render(), f.endToEndCpuMs() - c.decode() - c.preprocess() - c.inference() - c.argmax()
                        - c.render());
    }

    private static ObjectNode toJson(Figures f, int warmup) {
        ObjectNode root = Json.object();
        root.put("model", f.model());
        root.put("frame_size", f.frameSize().toString());
        root.put("input_size", f.inputSize().toString());
        root.put("frames", f.frames());
        root.put("warmup", warmup);
        root.put("session", f.tuning().toString());
        Json.putNumber(root, "raw_fps", f.rawFps());
        Json.putNumber(root, "raw_fps_ort_defaults", f.rawFpsOrtDefaults());
        Json.putNumber(root, "raw_fps_pipeline_tuning", f.rawFpsPipelineTuning());
        Json.putNumber(root, "end_to_end_fps", f.endToEndFps());
        Json.putNumber(root, "ratio", f.ratio());
        Json.putNumber(root, "raw_cpu_ms_per_frame", f.rawCpuMs());
        Json.putNumber(root, "end_to_end_cpu_ms_per_frame", f.endToEndCpuMs());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode stages = root.putObject("stage_ms");
        PipelineStats s = f.stages();
        stage(stages, "decode", s.decode());
        stage(stages, "preprocess", s.preprocess());
        stage(stages, "inference", s.inference());
        stage(stages, "argmax", s.argmax());
        stage(stages, "render", s.render());
        stage(stages, "latency", s.latency());
        ObjectNode cpu = root.putObject("stage_cpu_ms");
        Json.putNumber(cpu, "decode", s.cpu().decode());
        Json.putNumber(cpu, "preprocess", s.cpu().preprocess());
        Json.putNumber(cpu, "inference_calling_thread", s.cpu().inference());
        Json.putNumber(cpu, "argmax", s.cpu().argmax());
        Json.putNumber(cpu, "render", s.cpu().render());
        return root;
    }

    private static void stage(ObjectNode parent, String name, LatencyStats s) {
        ObjectNode n = parent.putObject(name);
        Json.putNumber(n, "mean", s.meanMs());
        Json.putNumber(n, "median", s.medianMs());
        Json.putNumber(n, "p90", s.p90Ms());
    }
}
