package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import me.tongfei.progressbar.ProgressBar;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.OpenCv;
import org.segbench.engine.Prediction;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.metrics.LatencyStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import org.segbench.engine.source.ImageFiles;
import java.io.PrintWriter;

/**
 * {@code segbench bench}: the Fast-SCNN paper's timing protocol on a synthetic frame: warm-up
 * runs, then the mean over N timed runs (FPS = 1000 / mean latency), plus median and p90.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time a model on a synthetic frame: warm-up, then mean/median/p90 latency and FPS.")
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "ONNX model file.")
    Path model;

    @Option(names = "--size", paramLabel = "HxW", converter = ModelFlags.SizeConverter.class,
            description = "Frame and input size (default: the model's fixed or metadata size, else 360x480).")
    Size size;

    @Option(names = "--warmup", defaultValue = "100", paramLabel = "N",
            description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--frames", defaultValue = "100", paramLabel = "N",
            description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the full result as JSON.")
    Path json;

    @Mixin
    ModelFlags flags = new ModelFlags();

    @Option(names = "--pipeline", description = "Raw session.run FPS vs pipelined end-to-end FPS on --input (see PipelineBench).")
    boolean pipeline;

    @Option(names = "--input", paramLabel = "VIDEO", description = "With --pipeline: the video to run end to end.")
    Path input;

    @Override
    public Integer call() throws Exception {
        flags.validate();
        Checks.atLeast(spec, "--warmup", warmup, 0);
        Checks.atLeast(spec, "--frames", frames, 1);
        Checks.modelFile(model);
        if (json != null) {
            Checks.writableFile(json);
        }
        if (pipeline) {
            if (input == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--pipeline needs --input VIDEO");
            }
            ImageFiles.checkReadable(input);
            return PipelineBench.run(model, flags.options(size, false), input, warmup, frames, json);
        }
        OpenCv.load();
        try (SegmentationModel m = SegmentationModel.load(model, flags.options(size, false))) {
            Size frameSize = size != null ? size : m.defaultInputSize();
            Mat frame = new Mat(frameSize.height(), frameSize.width(), CvType.CV_8UC3);
            Core.setRNGSeed(1);
            Core.randu(frame, 0, 256);
            double[] total = new double[frames];
            double[] pre = new double[frames];
            double[] infer = new double[frames];
            double[] post = new double[frames];
            Size input = m.inputSizeFor(frameSize);
            try (ProgressBar bar = Progress.start("bench " + m.name(), (long) warmup + frames)) {
                for (int i = 0; i < warmup; i++) {
                    m.predict(frame);
                    bar.step();
                }
                for (int i = 0; i < frames; i++) {
                    Prediction p = m.predict(frame);
                    total[i] = p.timings().totalMs();
                    pre[i] = p.timings().preprocessMs();
                    infer[i] = p.timings().inferenceMs();
                    post[i] = p.timings().postprocessMs();
                    bar.step();
                }
            } finally {
                frame.release();
            }
            LatencyStats e2e = LatencyStats.of(total);
            LatencyStats inf = LatencyStats.of(infer);
            LatencyStats prs = LatencyStats.of(pre);
            LatencyStats pos = LatencyStats.of(post);
            out().printf("%s at %s (input %s), %s, %d warm-up + %d timed frames%n", m.name(), frameSize, input,
                    m.provider() + (flags.threads > 0 ? ", " + flags.threads + " threads" : ""), warmup, frames);
            out().printf("%-12s %9s %9s %9s %9s%n", "", "mean ms", "median", "p90", "FPS");
            row("end-to-end", e2e);
            row("preprocess", prs);
            row("inference", inf);
            row("postprocess", pos);
            out().printf("FPS %.1f%n", e2e.fps());
            if (json != null) {
                ObjectNode root = Json.object();
                root.put("model", m.path().toString());
                root.put("model_name", m.name());
                root.put("size", frameSize.toString());
                root.put("input_size", input.toString());
                root.put("provider", m.provider().toString().toLowerCase());
                root.put("threads", flags.threads);
                root.put("warmup", warmup);
                root.put("frames", frames);
                root.set("end_to_end", stats(e2e));
                root.set("preprocess", stats(prs));
                root.set("inference", stats(inf));
                root.set("postprocess", stats(pos));
                Json.putNumber(root, "fps", e2e.fps());
                Json.write(json, root);
            }
        }
        return 0;
    }

    private void row(String name, LatencyStats s) {
        out().printf("%-12s %9.2f %9.2f %9.2f %9.1f%n", name, s.meanMs(), s.medianMs(), s.p90Ms(), s.fps());
    }

    private static ObjectNode stats(LatencyStats s) {
        ObjectNode n = Json.object();
        Json.putNumber(n, "mean_ms", s.meanMs());
        Json.putNumber(n, "median_ms", s.medianMs());
        Json.putNumber(n, "p90_ms", s.p90Ms());
        Json.putNumber(n, "fps", s.fps());
        return n;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
