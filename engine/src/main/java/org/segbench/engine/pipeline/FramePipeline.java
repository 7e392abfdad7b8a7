package org.segbench.engine.pipeline;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.render.Colorizer;
import org.segbench.engine.session.NetworkOutput;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Frames from a source through a model with the four stages overlapping, each on its own thread:
 * decode, preprocess, inference, postprocess (argmax to the label map, then the coloured overlay).
 * While the network runs on frame N, frame N+1 is being preprocessed and frame N-1 coloured, so a
 * frame costs about its slowest stage instead of the sum of all.
 *
 * <p>Stages hand frames on through bounded {@link Handoff} queues; the input tensors, logits,
 * label maps and ARGB images come from fixed {@link BufferPool}s and go back when a frame is done,
 * so nothing big is allocated per frame. With {@link QueuePolicy#BLOCKING} every frame comes out
 * in order; with {@link QueuePolicy#LATEST_FRAME_WINS} the frame waiting to be preprocessed and the
 * result waiting to be taken are replaced by newer ones. Take results with {@link #next()} and close
 * each; {@link #cancel()} stops all stages; {@link #close()} also frees the pools.
 *
 * <pre>{@code
 * try (PipelineSession s = PipelineSession.open(model, SessionTuning.pipeline());
 *      FrameSource src = FrameSources.open(video);
 *      FramePipeline p = FramePipeline.start(s, src, PipelineOptions.blocking())) {
 *     for (FrameResult r; (r = p.next()) != null; ) {
 *         try (FrameResult done = r) { show(r.overlay(), r.width(), r.height()); }
 *     }
 * }
 * }</pre>
 */
public final class FramePipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FramePipeline.class);

    private final PipelineSession session;
    private final SegmentationModel model;
    private final FrameSource source;
    private final PipelineOptions options;
    private final Colorizer colorizer;
    private final Handoff<Job> decoded;
    private final Handoff<Job> prepared;
    private final Handoff<Job> inferred;
    private final Handoff<FrameResult> results;
    private final BufferPool<InputSlot> inputPool;
    private final BufferPool<NetworkOutput> outputPool;
    private final BufferPool<FrameResult> resultPool;
    private final StageStats decodeStats = new StageStats("decode");
    private final StageStats preprocessStats = new StageStats("preprocess");
    private final StageStats inferenceStats = new StageStats("inference");
    private final StageStats argmaxStats = new StageStats("argmax");
    private final StageStats renderStats = new StageStats("render");
    private final StageStats latencyStats = new StageStats("latency");
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<StageThread> threads;
    private volatile boolean cancelled;
    private volatile boolean closed;

    /** A frame on its way through the stages, with the pooled buffers it holds. */
    private static final class Job {
        final Frame frame;
        final long startNanos;
        final double decodeMs;
        Size inputSize;
        double preprocessMs;
        double inferenceMs;
        InputSlot input;
        NetworkOutput output;

        Job(Frame frame, long startNanos, double decodeMs) {
            this.frame = frame;
            this.startNanos = startNanos;
            this.decodeMs = decodeMs;
        }
    }

    private FramePipeline(PipelineSession session, FrameSource source, PipelineOptions options, Colorizer colorizer) {
        this.session = session;
        this.model = session.model();
        this.source = source;
        this.options = options;
        this.colorizer = colorizer != null ? colorizer : new Colorizer(model.labels());
        int cap = options.queueCapacity();
        // only the ends drop: a frame that has been preprocessed or inferred is worth finishing
        this.decoded = new Handoff<>(cap, options.policy(), this::release);
        this.prepared = new Handoff<>(cap, QueuePolicy.BLOCKING, this::release);
        this.inferred = new Handoff<>(cap, QueuePolicy.BLOCKING, this::release);
        this.results = new Handoff<>(cap, options.policy(), FrameResult::close);
        // one per stage that holds a buffer, plus what its queue holds (and 2 for the caller)
        this.inputPool = new BufferPool<>(cap + 2, () -> new InputSlot(session));
        this.outputPool = new BufferPool<>(cap + 2, session::newOutput);
        BufferPool<FrameResult>[] self = new BufferPool[1];
        this.resultPool = new BufferPool<>(cap + 3, () -> new FrameResult(r -> self[0].release(r)));
        self[0] = resultPool;
        String name = model.name();
        this.threads = List.of(
                new StageThread("decode " + name, () -> stage(this::decodeLoop, decoded)),
                new StageThread("preprocess " + name,
                        () -> stage(() -> relay(decoded, prepared, this::preprocess), prepared)),
                new StageThread("inference " + name,
                        () -> stage(() -> relay(prepared, inferred, this::infer), inferred)),
                new StageThread("postprocess " + name, () -> stage(this::postprocessLoop, results)));
    }

    /** Starts the stages on a source, colouring with the model's palette. */
    public static FramePipeline start(PipelineSession session, FrameSource source, PipelineOptions options) {
        return start(session, source, options, null);
    }

    /** Starts the stages with a given colorizer (hidden classes, a shared palette); null = model's. */
    public static FramePipeline start(PipelineSession session, FrameSource source, PipelineOptions options,
                                      Colorizer colorizer) {
        FramePipeline p = new FramePipeline(session, source, options, colorizer);
        p.threads.forEach(StageThread::start);
        return p;
    }

    /**
     * The next result, waiting for it; null when the source is exhausted (or the pipeline was
     * cancelled). Close the result when done with it.
     *
     * @throws SegbenchException the first failure of any stage (the pipeline has stopped)
     */
    public FrameResult next() throws SegbenchException, InterruptedException {
        FrameResult r = cancelled ? null : results.take();
        if (r == null) {
            rethrow();
            return null;
        }
        delivered.incrementAndGet();
        return r;
    }

    /** Stops every stage as soon as it finishes what it is doing; queued frames are released. */
    public void cancel() {
        cancelled = true;
        threads.forEach(StageThread::interrupt);
        decoded.discardAll();
        prepared.discardAll();
        inferred.discardAll();
        results.discardAll();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Waits for every stage thread to end. */
    public boolean awaitTermination(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (StageThread t : threads) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !t.join(left)) {
                return false;
            }
        }
        return true;
    }

    /** Timings so far; cheap enough to poll for a live display. */
    public PipelineStats stats() {
        return new PipelineStats(decodeStats.snapshot(), preprocessStats.snapshot(), inferenceStats.snapshot(),
                argmaxStats.snapshot(), renderStats.snapshot(), latencyStats.snapshot(), delivered.get(),
                decoded.dropped() + results.dropped(), new PipelineStats.Cpu(decodeStats.cpuMeanMs(),
                preprocessStats.cpuMeanMs(), inferenceStats.cpuMeanMs(), argmaxStats.cpuMeanMs(),
                renderStats.cpuMeanMs()));
    }

    /** Frames the source could not give (bad images in a list), skipped. */
    public long skipped() {
        return skipped.get();
    }

    /** The most items any queue ever held (never above the capacity). */
    public int queueHighWater() {
        return Math.max(Math.max(decoded.highWater(), prepared.highWater()),
                Math.max(inferred.highWater(), results.highWater()));
    }

    public PipelineOptions options() {
        return options;
    }

    /** Cancels, waits for the stages, and frees the pooled tensors. The source is the caller's. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancel();
        try {
            if (!awaitTermination(30_000)) {
                LOG.warn("{}: a pipeline stage did not stop in 30 s; its tensors are left open", model.name());
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        inputPool.all().forEach(InputSlot::close);
        outputPool.all().forEach(NetworkOutput::close);
    }

    // --- the stages -------------------------------------------------------------------------

    private interface Work {
        void run() throws Exception;
    }

    /** Runs a stage loop; on its end the next queue is closed, on a failure everything stops. */
    private void stage(Work loop, Handoff<?> downstream) {
        try {
            loop.run();
            downstream.close();
        } catch (InterruptedException e) {
            downstream.close();
        } catch (Throwable e) {
            if (!cancelled) {
                failure.compareAndSet(null, e);
                LOG.debug("pipeline stage failed", e);
            }
            cancel();
        }
    }

    private void decodeLoop() throws Exception {
        long count = 0;
        while (!cancelled && (options.maxFrames() <= 0 || count < options.maxFrames())) {
            long t0 = System.nanoTime();
            long c0 = StageStats.threadCpuNanos();
            Optional<Frame> next;
            try {
                next = source.next();
            } catch (SegbenchException e) {
                // a bad image in a list: the source has moved past it
                skipped.incrementAndGet();
                LOG.warn("{}", e.getMessage());
                continue;
            }
            if (next.isEmpty()) {
                break;
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            decodeStats.record(ms, (StageStats.threadCpuNanos() - c0) / 1e6);
            count++;
            Job job = new Job(next.get(), t0, ms);
            if (!decoded.put(job)) {
                release(job);
                break;
            }
        }
    }

    private interface Step {
        void run(Job job) throws Exception;
    }

    /** The middle stages: take a job, do this stage's step on it, hand it on; a failed job is released. */
    private void relay(Handoff<Job> from, Handoff<Job> to, Step step) throws Exception {
        Job job;
        while ((job = from.take()) != null) {
            try {
                step.run(job);
            } catch (Throwable e) {
                release(job);
                throw e;
            }
            if (!to.put(job)) {
                release(job);
                return;
            }
        }
    }

    private void preprocess(Job job) throws Exception {
        job.input = inputPool.acquire();
        job.preprocessMs = timed(preprocessStats, () -> {
            job.inputSize = model.inputSizeFor(job.frame.size());
            job.input.fill(job.frame.bgr(), job.inputSize);
        });
    }

    private void infer(Job job) throws Exception {
        job.output = outputPool.acquire();
        job.inferenceMs = timed(inferenceStats, () -> session.run(job.input.tensor(), job.inputSize, job.output));
        inputPool.release(job.input);
        job.input = null;
    }

    /** Runs {@code work}, records its wall and thread-CPU milliseconds in {@code stats}, returns the wall ms. */
    private static double timed(StageStats stats, Work work) throws Exception {
        long t0 = System.nanoTime();
        long c0 = StageStats.threadCpuNanos();
        work.run();
        double ms = (System.nanoTime() - t0) / 1e6;
        stats.record(ms, (StageStats.threadCpuNanos() - c0) / 1e6);
        return ms;
    }

    private void postprocessLoop() throws Exception {
        Job job;
        while ((job = inferred.take()) != null) {
            FrameResult r = null;
            try {
                r = resultPool.acquire();
                r.prepare(job.frame, job.inputSize);
                long t0 = System.nanoTime();
                long c0 = StageStats.threadCpuNanos();
                job.output.decode(r.labels(), false);
                outputPool.release(job.output);
                job.output = null;
                long t1 = System.nanoTime();
                long c1 = StageStats.threadCpuNanos();
                if (options.overlay()) {
                    render(job.frame.bgr(), r);
                }
                long t2 = System.nanoTime();
                argmaxStats.record((t1 - t0) / 1e6, (c1 - c0) / 1e6);
                renderStats.record((t2 - t1) / 1e6, (StageStats.threadCpuNanos() - c1) / 1e6);
                latencyStats.record((t2 - job.startNanos) / 1e6);
                r.times(job.decodeMs, job.preprocessMs, job.inferenceMs, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            } catch (Throwable e) {
                if (r != null && r.frame() != null) {
                    r.close(); // releases the frame and gives the result back
                    releaseSlots(job);
                } else {
                    if (r != null) {
                        resultPool.release(r);
                    }
                    release(job);
                }
                throw e;
            }
            if (!results.put(r)) {
                r.close();
                return;
            }
        }
    }

    private void render(Mat bgr, FrameResult r) {
        int[] out = r.overlayBuffer();
        if (bgr.type() == CvType.CV_8UC3 && bgr.isContinuous()) {
            byte[] px = r.bgrScratch();
            bgr.get(0, 0, px);
            colorizer.overlay(px, r.labels(), options.alpha(), out);
        } else {
            System.arraycopy(colorizer.overlay(bgr, r.labels(), options.alpha()), 0, out, 0, out.length);
        }
        r.markRendered();
    }

    /** Gives back everything a job holds: its frame and any pooled slots. */
    private void release(Job job) {
        job.frame.close();
        releaseSlots(job);
    }

    private void releaseSlots(Job job) {
        if (job.input != null) {
            inputPool.release(job.input);
            job.input = null;
        }
        if (job.output != null) {
            outputPool.release(job.output);
            job.output = null;
        }
    }

    private void rethrow() throws SegbenchException {
        Throwable e = failure.get();
        if (e == null) {
            return;
        }
        if (e instanceof SegbenchException s) {
            throw s;
        }
        throw new SegbenchException(model.path(), "pipeline failed: " + e, e);
    }

    // --- for tests: the pooled buffers ------------------------------------------------------

    List<InputSlot> inputSlots() {
        return inputPool.all();
    }

    List<FrameResult> resultSlots() {
        return resultPool.all();
    }

    /** Whether every pooled buffer is back in its pool (nothing in flight, nothing leaked). */
    boolean allBuffersReturned() {
        return inputPool.available() == inputPool.all().size() && outputPool.available() == outputPool.all().size()
                && resultPool.available() == resultPool.all().size();
    }
}
