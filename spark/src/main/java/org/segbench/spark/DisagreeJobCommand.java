package org.segbench.spark;

import org.apache.spark.sql.SparkSession;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.Size;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code segbench-spark disagree}: per-frame disagreement between models over videos. */
@Command(name = "disagree", mixinStandardHelpOptions = true,
        description = "Score videos for where models disagree: one Parquet row per frame and pair of models.")
final class DisagreeJobCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "ONNX model; give two or more.")
    List<String> models;

    @Option(names = "--video", required = true, paramLabel = "FILE|GLOB", description = "Video file or glob; repeatable.")
    List<String> videos;

    @Option(names = "--segment", paramLabel = "FRAMES", defaultValue = "300",
            description = "Frames per unit of work (default: ${DEFAULT-VALUE}).")
    int segmentFrames;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Score only the first N frames of each video.")
    long limit;

    @Option(names = "--set", paramLabel = "KNOB=VALUE", description = "Set a knob on every model.")
    Map<String, Float> knobs = new LinkedHashMap<>();

    @Option(names = "--size", paramLabel = "HxW", description = "Network input size (default: frame size rounded to 32).")
    String size;

    @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|cuda|cpu",
            description = "Execution provider on the executors (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--rows", required = true, paramLabel = "OUT.parquet", description = "Where the rows go.")
    String rows;

    @Option(names = "--overwrite", description = "Replace an existing --rows output.")
    boolean overwrite;

    @Mixin
    SparkFlags sparkFlags = new SparkFlags();

    @Override
    public Integer call() throws Exception {
        if (segmentFrames < 1 || limit < 0) {
            throw usage("--segment must be >= 1 and --limit >= 0");
        }
        ModelOptions options;
        try {
            options = ModelOptions.defaults().withProvider(Provider.parse(provider)).withScores(false)
                    .withKnobs(knobs).withInputSize(size == null ? null : Size.parse(size));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        SparkSession spark = sparkFlags.session("segbench-spark disagree");
        try {
            DisagreeJob.Result result = DisagreeJob.run(spark,
                    new DisagreeJob.Spec(models, videos, options, segmentFrames, limit, sparkFlags.partitions),
                    rows, overwrite);
            print(spec.commandLine().getOut(), result);
            return result.rows().stream().anyMatch(DisagreeRow::ok) ? 0 : 1;
        } finally {
            if (sparkFlags.master == null || sparkFlags.master.startsWith("local")) {
                ExecutorModels.closeAll();
            }
            spark.stop();
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Per video and pair: frames, mean disagreement, the frame where they disagree most; then the errors. */
    private static void print(PrintWriter out, DisagreeJob.Result result) {
        Map<String, List<DisagreeRow>> groups = result.rows().stream().filter(DisagreeRow::ok)
                .collect(Collectors.groupingBy(r -> r.video() + "  " + r.modelA() + " vs " + r.modelB(),
                        LinkedHashMap::new, Collectors.toList()));
        out.printf("%d segments%n", result.segments());
        groups.forEach((key, rows) -> {
            DisagreeRow worst = rows.stream().max(Comparator.comparingDouble(DisagreeRow::disagreement)).orElseThrow();
            out.printf("%s: %d frames, mean disagreement %.2f%%, most at frame %d (%.2f%%)%n", key, rows.size(),
                    100 * rows.stream().mapToDouble(DisagreeRow::disagreement).average().orElse(Double.NaN),
                    worst.frame(), 100 * worst.disagreement());
        });
        result.rows().stream().filter(r -> !r.ok()).forEach(r -> out.println("error: " + r.error()));
        out.flush();
    }
}
