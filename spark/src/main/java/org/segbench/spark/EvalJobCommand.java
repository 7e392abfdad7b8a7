package org.segbench.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.Size;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code segbench-spark eval}: {@code segbench eval}'s flags, plus a sweep over knobs and sizes. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate models x knob grid x input sizes on labelled images; one Parquet row per image and"
                + " setting, one summary per setting in the JSON of `segbench eval --json`.")
final class EvalJobCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "ONNX model file (any Hadoop file system); repeat for several. Read once, broadcast.")
    List<String> models;

    @Option(names = "--images", paramLabel = "DIR|GLOB", description = "Folder of images (recursive) or a glob.")
    String images;

    @Option(names = "--labels", paramLabel = "DIR", description = "Folder of ground truth.")
    String labels;

    @Option(names = "--list", paramLabel = "FILE",
            description = "CamVid-style list of 'IMAGE LABEL' lines relative to its folder, or a CSV image,label.")
    String list;

    @Option(names = "--dataset", required = true, paramLabel = "camvid|cityscapes",
            description = "Label set of the ground truth.")
    String dataset;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N pairs (N >= 1).")
    Integer limit;

    @Option(names = "--set", paramLabel = "KNOB=VALUE", description = "Set a knob for every run, e.g. --set skip_gain=0.")
    Map<String, Float> fixedKnobs = new LinkedHashMap<>();

    @Option(names = "--grid", paramLabel = "KNOB=V1,V2,...",
            description = "Sweep a knob over values (repeat for several knobs: every combination is run).")
    Map<String, String> grid = new LinkedHashMap<>();

    @Option(names = {"--sizes", "--size"}, split = ",", paramLabel = "HxW[,HxW...]",
            description = "Network input sizes to sweep (default: the engine's rule, image size rounded to 32).")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|cuda|cpu",
            description = "Execution provider on the executors (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--boundary", paramLabel = "PX", defaultValue = "3",
            description = "Width of the boundary band for boundary IoU (default: ${DEFAULT-VALUE}).")
    int boundaryPx;

    @Option(names = "--burn-in", paramLabel = "N", defaultValue = "5",
            description = "Frames of each executor session left out of the timing (default: ${DEFAULT-VALUE}).")
    int burnIn;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the summaries, the JSON of `segbench eval --json` (one object, or an array with"
                    + " several settings); any Hadoop file system.")
    String json;

    @Option(names = "--rows", paramLabel = "OUT.parquet", description = "Write one row per image and setting as Parquet.")
    String rows;

    @Option(names = "--overwrite", description = "Replace an existing --rows output.")
    boolean overwrite;

    @Mixin
    SparkFlags sparkFlags = new SparkFlags();

    @Override
    public Integer call() throws Exception {
        EvalJob.Spec jobSpec = new EvalJob.Spec(models, List.of(), dataset, knobGrid(), parsedSizes(),
                parseProvider(), boundaryPx, burnIn, sparkFlags.partitions);
        if (boundaryPx < 0 || burnIn < 0 || limit != null && limit < 1) {
            throw usage("--boundary and --burn-in must be >= 0, --limit >= 1");
        }
        SparkSession spark = sparkFlags.session("segbench-spark eval");
        try {
            HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
            List<ImagePair> pairs = PairListing.read(files, list, images, labels, dataset);
            if (limit != null && limit < pairs.size()) {
                pairs = pairs.subList(0, limit);
            }
            jobSpec = new EvalJob.Spec(models, pairs, dataset, jobSpec.knobGrid(), jobSpec.sizes(), jobSpec.provider(),
                    boundaryPx, burnIn, sparkFlags.partitions);
            long t0 = System.nanoTime();
            EvalJob.Result result = EvalJob.run(spark, jobSpec, rows, overwrite);
            double seconds = (System.nanoTime() - t0) / 1e9;
            print(spec.commandLine().getOut(), result, pairs.size(), seconds);
            if (json != null) {
                write(files, json, result.summaries());
            }
            return result.summaries().stream().allMatch(s -> s.get("frames").asLong() == 0) ? 1 : 0;
        } finally {
            if (sparkFlags.master == null || sparkFlags.master.startsWith("local")) {
                ExecutorModels.closeAll();
            }
            spark.stop();
        }
    }

    /** The knob grid: every combination of the --grid values, each with the --set values. */
    List<Map<String, Float>> knobGrid() {
        List<Map<String, Float>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>(fixedKnobs));
        for (Map.Entry<String, String> axis : grid.entrySet()) {
            if (fixedKnobs.containsKey(axis.getKey())) {
                throw usage("--set and --grid both give " + axis.getKey() + ": give one");
            }
            List<Map<String, Float>> next = new ArrayList<>();
            for (String text : axis.getValue().split(",")) {
                float v;
                try {
                    v = Float.parseFloat(text.strip());
                } catch (NumberFormatException e) {
                    throw usage("--grid " + axis.getKey() + "=" + axis.getValue() + ": '" + text + "' is not a number");
                }
                if (!Float.isFinite(v)) {
                    throw usage("--grid " + axis.getKey() + ": a knob value must be a finite number");
                }
                for (Map<String, Float> p : points) {
                    Map<String, Float> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    private List<Size> parsedSizes() {
        List<Size> out = new ArrayList<>();
        for (String s : sizes) {
            try {
                out.add(Size.parse(s));
            } catch (IllegalArgumentException e) {
                throw usage("--sizes: " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            out.add(null);
        }
        return out;
    }

    private Provider parseProvider() {
        try {
            return Provider.parse(provider);
        } catch (IllegalArgumentException e) {
            throw usage("'" + provider + "' is not a provider: give auto, cuda or cpu");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void print(PrintWriter out, EvalJob.Result result, int pairs, double seconds) {
        out.printf("%d pairs x %d settings = %d rows (%d errors) in %.1f s, %.2f rows/s%n", pairs,
                result.summaries().size(), result.rows(), result.errorRows(), seconds, result.rows() / seconds);
        out.printf("%-24s %-20s %-9s %7s %8s %7s%n", "model", "knobs", "size", "frames", "mIoU %", "FPS");
        for (ObjectNode s : result.summaries()) {
            StringBuilder knobs = new StringBuilder();
            s.get("knobs").fields().forEachRemaining(e -> knobs.append(knobs.isEmpty() ? "" : ",")
                    .append(e.getKey()).append('=').append(ModelSetting.number(e.getValue().floatValue())));
            out.printf("%-24s %-20s %-9s %7d %8s %7s%n", s.get("model_name").asText(),
                    knobs.isEmpty() ? "-" : knobs, s.get("input_size").asText(), s.get("frames").asLong(),
                    s.get("miou").isNull() ? "-" : String.format("%.2f", 100 * s.get("miou").asDouble()),
                    s.get("fps").isNull() ? "-" : String.format("%.1f", s.get("fps").asDouble()));
        }
        out.flush();
    }

    /** Writes the summaries where the driver can reach: a local file, or HDFS / S3 in cluster mode. */
    static void write(HadoopFiles files, String file, List<ObjectNode> summaries) throws SegbenchException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        org.apache.hadoop.fs.Path p = files.qualify(file);
        // on the local disk without Hadoop's .crc file beside it
        try (OutputStream out = HadoopFiles.isLocal(p) ? Files.newOutputStream(HadoopFiles.local(p))
                : files.fileSystem(p).create(p, true)) {
            mapper.writeValue(out, summaries.size() == 1 ? summaries.get(0) : summaries);
        } catch (IOException e) {
            throw new SegbenchException(Path.of(file), "cannot write: " + e.getMessage());
        }
    }
}
