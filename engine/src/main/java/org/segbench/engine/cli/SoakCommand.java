package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.metrics.ConfusionMatrix;
import org.segbench.engine.pipeline.FramePipeline;
import org.segbench.engine.pipeline.FrameResult;
import org.segbench.engine.pipeline.LoopingSource;
import org.segbench.engine.pipeline.PipelineOptions;
import org.segbench.engine.pipeline.PipelineSession;
import org.segbench.engine.session.SessionTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import org.segbench.engine.source.ImageFiles;

/**
 * {@code segbench soak}: an evening's session in minutes. A looped video through two models side
 * by side (two pipelines, each frame's label maps compared as the app's two panes would), resident
 * memory sampled every N frames; the growth after warm-up is what a leak would show. Heap and
 * direct-buffer figures are printed next to it to tell a Java leak from a native one.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run two models over a looped video for many frames and report resident-memory growth.")
final class SoakCommand implements Callable<Integer> {
    private static final double MB = 1024.0 * 1024.0;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "An ONNX model; give --model twice.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--input", required = true, paramLabel = "VIDEO", description = "Video to loop over.")
    Path input;

    @Option(names = "--frames", defaultValue = "10000", paramLabel = "N",
            description = "Frames through each model (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = {"--sample-every", "--every"}, defaultValue = "500", paramLabel = "N",
            description = "Frames between memory samples (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--warmup-frames", defaultValue = "1000", paramLabel = "N",
            description = "Growth is measured from the first sample at or after this frame (default: ${DEFAULT-VALUE}).")
    int warmupFrames;

    @Option(names = "--size", paramLabel = "HxW", converter = ModelFlags.SizeConverter.class,
            description = "Network input size (default: the model's fixed size, else the frame rounded to 32).")
    Size size;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the samples and the summary as JSON.")
    Path json;

    @Mixin
    ModelFlags flags = new ModelFlags();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One memory sample. */
    record Sample(long frame, long rss, long heap, long direct, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        if (models.size() != 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "soak needs exactly two models");
        }
        flags.validate();
        Checks.atLeast(spec, "--frames", frames, 1);
        Checks.atLeast(spec, "--sample-every", every, 1);
        Checks.atLeast(spec, "--warmup-frames", warmupFrames, 0);
        for (Path m : models) {
            Checks.modelFile(m);
        }
        ImageFiles.checkReadable(input);
        if (json != null) {
            Checks.writableFile(json);
        }
        SessionTuning tuning = SessionTuning.pipeline().withIntraOpThreads(flags.threads);
        PipelineOptions options = PipelineOptions.blocking().withMaxFrames(frames).withTuning(tuning);
        List<Sample> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        String names;
        try (SegmentationModel a = SegmentationModel.load(models.get(0), flags.options(size, false).withThreads(1));
             SegmentationModel b = SegmentationModel.load(models.get(1), flags.options(size, false).withThreads(1));
             PipelineSession sa = PipelineSession.open(a, tuning);
             PipelineSession sb = PipelineSession.open(b, tuning);
             LoopingSource srcA = new LoopingSource(input);
             LoopingSource srcB = new LoopingSource(input);
             FramePipeline pa = FramePipeline.start(sa, srcA, options);
             FramePipeline pb = FramePipeline.start(sb, srcB, options)) {
            names = a.name() + " + " + b.name();
            System.out.printf("soak: %s on %s (looped), %d frames each, sampling every %d%n", names, input, frames,
                    every);
            System.out.printf("%8s %10s %10s %10s %8s%n", "frame", "RSS MB", "heap MB", "direct MB", "s");
            ConfusionMatrix agreement = ConfusionMatrix.of(a.labels());
            samples.add(sample(0, t0));
            print(samples.get(0));
            for (long n = 1; n <= frames; n++) {
                FrameResult ra = pa.next();
                FrameResult rb = pb.next();
                if (ra == null || rb == null) {
                    if (ra != null) {
                        ra.close();
                    }
                    if (rb != null) {
                        rb.close();
                    }
                    break;
                }
                try (FrameResult x = ra; FrameResult y = rb) {
                    // the app's "IoU against a reference model" view, accumulated as it would be
                    agreement.add(x.labels(), y.labels());
                }
                if (n % every == 0) {
                    Sample s = sample(n, t0);
                    samples.add(s);
                    print(s);
                }
            }
            System.out.printf("agreement between the two models: mIoU %.3f over %d frames%n", agreement.meanIou(),
                    agreement.frames());
        }
        Summary sum = summarise(samples);
        System.out.printf("RSS after warm-up (frame %d): %.1f MB; at the end (frame %d): %.1f MB; growth %+.1f MB"
                        + " (max %+.1f MB, trend %+.2f MB per 1000 frames)%n", sum.baseFrame, sum.baseRss / MB,
                sum.endFrame, sum.endRss / MB, (sum.endRss - sum.baseRss) / MB, (sum.maxRss - sum.baseRss) / MB,
                sum.slopePerKFrame / MB);
        if (json != null) {
            ObjectNode root = Json.object();
            root.put("models", names);
            root.put("input", input.toString());
            root.put("frames", frames);
            root.put("sample_every", every);
            root.put("warmup_frames", warmupFrames);
            ArrayNode arr = root.putArray("samples");
            for (Sample s : samples) {
                ObjectNode o = arr.addObject();
                o.put("frame", s.frame());
                o.put("rss_bytes", s.rss());
                o.put("heap_bytes", s.heap());
                o.put("direct_bytes", s.direct());
                Json.putNumber(o, "seconds", s.seconds());
            }
            root.put("baseline_frame", sum.baseFrame);
            root.put("baseline_rss_bytes", sum.baseRss);
            root.put("end_rss_bytes", sum.endRss);
            root.put("growth_bytes", sum.endRss - sum.baseRss);
            root.put("max_growth_bytes", sum.maxRss - sum.baseRss);
            Json.putNumber(root, "trend_bytes_per_1000_frames", sum.slopePerKFrame);
            Json.write(json, root);
        }
        return 0;
    }

    private record Summary(long baseFrame, long baseRss, long endFrame, long endRss, long maxRss,
                           double slopePerKFrame) {
    }

    /** Growth from the first sample at or after the warm-up to the last; least-squares trend over those. */
    private Summary summarise(List<Sample> samples) {
        List<Sample> after = samples.stream().filter(s -> s.frame() >= warmupFrames).toList();
        if (after.isEmpty()) {
            after = List.of(samples.get(samples.size() - 1));
        }
        Sample base = after.get(0);
        Sample end = after.get(after.size() - 1);
        long max = after.stream().mapToLong(Sample::rss).max().orElse(base.rss());
        double mx = after.stream().mapToDouble(Sample::frame).average().orElse(0);
        double my = after.stream().mapToDouble(Sample::rss).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Sample s : after) {
            sxy += (s.frame() - mx) * (s.rss() - my);
            sxx += (s.frame() - mx) * (s.frame() - mx);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx * 1000;
        return new Summary(base.frame(), base.rss(), end.frame(), end.rss(), max, slope);
    }

    private static Sample sample(long frame, long t0) {
        return new Sample(frame, ResidentMemory.residentBytes(), ResidentMemory.heapUsedBytes(),
                ResidentMemory.directBytes(), (System.nanoTime() - t0) / 1e9);
    }

    private static void print(Sample s) {
        System.out.printf("%8d %10.1f %10.1f %10.1f %8.1f%n", s.frame(), s.rss() / MB, s.heap() / MB,
                s.direct() / MB, s.seconds());
    }
}
