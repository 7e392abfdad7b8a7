package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import me.tongfei.progressbar.ProgressBar;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.CvType;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Prediction;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.metrics.FpsMeter;
import org.segbench.engine.metrics.LatencyStats;
import org.segbench.engine.render.Colorizer;
import org.segbench.engine.render.Legend;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;
import org.segbench.engine.io.OutputFolder;
import org.segbench.engine.source.ImageFiles;
import org.segbench.engine.source.ImageListSource;
import org.segbench.engine.source.VideoSource;
import org.segbench.engine.source.VideoWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import java.io.PrintWriter;

/** {@code segbench run}: masks and overlays of one or more models on images, a folder or a video. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Segment an image, a folder or a video: mask and overlay PNGs (MP4 for video).")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "ONNX model; repeat for several.")
    List<Path> models;

    @Option(names = "--input", required = true, paramLabel = "IMAGE|DIR|VIDEO",
            description = "What to segment; repeat for several images.")
    List<Path> inputs;

    private Path input;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder; not an input folder. Existing files are kept unless --overwrite.")
    Path out;

    @Option(names = "--overwrite", description = "Replace existing output files of the same name.")
    boolean overwrite;

    @Option(names = "--alpha", defaultValue = "0.5", paramLabel = "A",
            description = "Overlay opacity of the mask, 0..1 (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--side-by-side", description = "Also write the frame and every model's overlay side by side.")
    boolean sideBySide;

    @Option(names = "--save-confidence",
            description = "Also write each model's confidence: the top class's softmax probability per pixel as"
                    + " an 8-bit grey image (255 = certain; _confidence.png, or .mp4 for a video).")
    boolean saveConfidence;

    @Option(names = "--legend", description = "Add a class legend to side-by-side outputs.")
    boolean legend;

    @Option(names = "--size", paramLabel = "HxW", converter = ModelFlags.SizeConverter.class,
            description = "Network input size for dynamic models (default: frame size rounded to 32).")
    Size size;

    @Option(names = "--limit", paramLabel = "N", description = "Process at most N frames (N >= 1).")
    Long limitOption;

    private long limit = -1;

    @Option(names = "--json", paramLabel = "FILE", description = "Write a summary as JSON.")
    Path json;

    @Mixin
    ModelFlags flags = new ModelFlags();

    private final List<SegmentationModel> loaded = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();
    private final List<Colorizer> colourisers = new ArrayList<>();
    private final List<FpsMeter> meters = new ArrayList<>();
    private final Map<String, VideoWriter> writers = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String[]> warnings = new ArrayList<>();
    private final List<String> leftOut = new ArrayList<>();
    private SegbenchException firstProblem;
    private boolean internalError;
    private boolean terminal = System.console() != null;
    private OutputFolder folder;
    /** Output stem of each input image, unique in this run (a.png and a.jpg both exist). */
    private final Map<Path, String> stems = new HashMap<>();

    /** Checks every option and file before any model is opened. */
    private void validate() throws SegbenchException {
        flags.validate();
        Checks.fraction(spec, "--alpha", alpha);
        if (limitOption != null) {
            Checks.atLeast(spec, "--limit", limitOption, 1);
            limit = limitOption;
        }
        for (Path p : models) {
            Checks.modelFile(p);
        }
        if (json != null) {
            Checks.writableFile(json);
        }
        List<Path> inputFolders = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                inputFolders.add(in);
            }
        }
        // a folder input is listed without its sub-folders: an output folder inside it is safe
        folder = OutputFolder.open(out, overwrite, inputFolders, false);
    }

    /** Claims every output name before any work, and refuses to replace existing files. */
    private void planOutputs(FrameSource source, boolean video) throws SegbenchException {
        List<String> suffixes = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            String base = models.size() == 1 ? "" : "_" + tags.get(i);
            suffixes.add(base + "_mask");
            suffixes.add(base + "_overlay");
            if (saveConfidence) {
                suffixes.add(base + "_confidence");
            }
        }
        if (sideBySide) {
            suffixes.add("_side_by_side");
        }
        if (video) {
            String stem = folder.claimStem(stem(input));
            stems.put(input, stem);
            for (String suffix : suffixes) {
                folder.claim(stem + suffix + ".mp4");
            }
        } else if (stillName != null) {
            String stem = folder.claimStem(stillName);
            stems.put(input, stem);
            for (String suffix : suffixes) {
                folder.claim(stem + suffix + ".png");
            }
        } else if (source instanceof ImageListSource images) {
            List<Path> files = images.files();
            for (Path f : limit > 0 && limit < files.size() ? files.subList(0, (int) limit) : files) {
                String stem = folder.claimStem(stem(f));
                stems.put(f, stem);
                for (String suffix : suffixes) {
                    folder.claim(stem + suffix + ".png");
                }
            }
        }
        folder.checkFree();
    }

    @Override
    public Integer call() throws Exception {
        validate();
        try {
            Set<String> knobsUsed = new HashSet<>();
            for (Path p : models) {
                // with several models a --set knob applies to those that have it
                SegmentationModel m = SegmentationModel.load(p, flags.options(size, saveConfidence)
                        .withKnobs(Map.of()));
                loaded.add(m);
                for (Map.Entry<String, Float> k : flags.knobs.entrySet()) {
                    if (models.size() == 1 || m.knobs().stream().anyMatch(x -> x.name().equals(k.getKey()))) {
                        m.setKnob(k.getKey(), k.getValue());
                        knobsUsed.add(k.getKey());
                    }
                }
                tags.add(uniqueTag(p));
                colourisers.add(new Colorizer(m.labels()));
                meters.add(new FpsMeter(1, 30));
            }
            for (String k : flags.knobs.keySet()) {
                if (!knobsUsed.contains(k)) {
                    throw new SegbenchException("no model has a knob named '" + k + "'");
                }
            }
            long frames = 0;
            input = inputs.get(0);
            try (FrameSource source = inputs.size() == 1 ? FrameSources.open(input) : FrameSources.images(inputs)) {
                // FFmpeg also opens stills it knows (a GIF): one frame is an image, written as PNGs
                boolean still = source instanceof VideoSource && !ImageFiles.isVideo(input) && source.frameCount() <= 1;
                boolean video = source instanceof VideoSource && !still;
                stillName = still ? stem(input) : null;
                if (inputs.size() == 1 && Files.isDirectory(input)) {
                    leftOut.addAll(ImageFiles.leftOut(input));
                }
                planOutputs(source, video);
                long total = limit >= 0 && source.frameCount() >= 0 ? Math.min(limit, source.frameCount())
                        : limit >= 0 ? limit : source.frameCount();
                // with one input, its error is the command's one-line error: not also a "skipped" line
                single = total == 1;
                boolean ended = false;
                try (ProgressBar bar = Progress.start("run", total)) {
                    for (String why : leftOut) {
                        say(bar, "left out " + why);
                    }
                    while (limit < 0 || frames + problems.size() < limit) {
                        Optional<Frame> next;
                        try {
                            next = source.next();
                        } catch (SegbenchException e) {
                            report(bar, e);
                            bar.step();
                            continue;
                        }
                        if (next.isEmpty()) {
                            ended = true;
                            break;
                        }
                        try (Frame frame = next.get()) {
                            frame.file().flatMap(ImageFiles::truncation).ifPresent(w -> {
                                warnings.add(new String[] {frame.file().get().toString(), w});
                                say(bar, "warning: " + frame.file().get() + ": " + w);
                            });
                            process(frame, video, source.fps());
                            frames++;
                        } catch (SegbenchException e) {
                            report(bar, e);
                        } catch (WriteFailed e) {
                            throw e.getCause();
                        } catch (RuntimeException e) {
                            // a bug on one frame must not lose the rest of the batch; exit 3 says it was one
                            internalError = true;
                            report(bar, new SegbenchException(next.get().file().orElse(input),
                                    "internal error: " + e, e));
                        }
                        bar.step();
                    }
                }
                long declared = source.frameCount();
                long read = frames + problems.size();
                // headers that estimate the count from the duration may be off by a frame or two
                if (video && ended && declared > 0 && read + Math.max(2, declared / 100) < declared) {
                    String w = "the video ended after " + read + " of the " + declared
                            + " frames its header declares (truncated?)";
                    warnings.add(new String[] {input.toString(), w});
                    err().println("warning: " + input + ": " + w);
                }
            } finally {
                for (VideoWriter w : writers.values()) {
                    w.close();
                }
            }
            summary(frames);
            if (frames == 0 && firstProblem != null) {
                // nothing came out: end like any other bad input, on the first file's problem
                throw firstProblem;
            }
            return internalError ? 3 : frames == 0 ? 1 : 0;
        } finally {
            loaded.forEach(SegmentationModel::close);
        }
    }

    private boolean single;
    /** The input's name when it is a still that FFmpeg decodes (a GIF), else null. */
    private String stillName;

    /** A failed write is not a bad input to skip: the outputs are at risk, so the run stops. */
    private static final class WriteFailed extends RuntimeException {
        WriteFailed(SegbenchException cause) {
            super(cause);
        }

        @Override
        public synchronized SegbenchException getCause() {
            return (SegbenchException) super.getCause();
        }
    }

    /**
     * The top class's probability per pixel, 0..255 grey (round(255 p)): 8-bit single channel for
     * a PNG, the same grey as BGR for a video encoder. A label-map model has no probabilities.
     */
    static Mat confidenceImage(Prediction p, boolean bgr) throws SegbenchException {
        if (p.scores() == null) {
            throw new SegbenchException("--save-confidence needs a model that outputs logits, not a label map");
        }
        float[] scores = p.scores().toArray();
        byte[] grey = new byte[scores.length];
        for (int i = 0; i < scores.length; i++) {
            float v = Float.isNaN(scores[i]) ? 0f : Math.max(0f, Math.min(1f, scores[i]));
            grey[i] = (byte) Math.round(255 * v);
        }
        Mat m = new Mat(p.height(), p.width(), CvType.CV_8UC1);
        m.put(0, 0, grey);
        if (!bgr) {
            return m;
        }
        Mat colour = new Mat();
        Imgproc.cvtColor(m, colour, Imgproc.COLOR_GRAY2BGR);
        m.release();
        return colour;
    }

    private void write(Path file, Mat image) {
        try {
            ImageFiles.write(file, image);
        } catch (SegbenchException e) {
            throw new WriteFailed(e);
        }
    }

    private void process(Frame frame, boolean video, double fps) throws SegbenchException {
        List<Mat> overlays = new ArrayList<>();
        try {
            for (int i = 0; i < loaded.size(); i++) {
                Prediction p = loaded.get(i).predict(frame);
                meters.get(i).record(p.timings().totalMs());
                Mat mask = colourisers.get(i).maskBgr(p.labels());
                Mat overlay = colourisers.get(i).overlayBgr(frame.bgr(), p.labels(), alpha);
                overlays.add(overlay);
                String base = loaded.size() == 1 ? "" : "_" + tags.get(i);
                Mat confidence = saveConfidence ? confidenceImage(p, video) : null;
                try {
                    String stem = stemOf(frame, video);
                    if (video) {
                        writer(stem + base + "_mask.mp4", mask, fps).write(mask);
                        writer(stem + base + "_overlay.mp4", overlay, fps).write(overlay);
                        if (confidence != null) {
                            writer(stem + base + "_confidence.mp4", confidence, fps).write(confidence);
                        }
                    } else {
                        write(out.resolve(stem + base + "_mask.png"), mask);
                        write(out.resolve(stem + base + "_overlay.png"), overlay);
                        if (confidence != null) {
                            write(out.resolve(stem + base + "_confidence.png"), confidence);
                        }
                    }
                } finally {
                    mask.release();
                    if (confidence != null) {
                        confidence.release();
                    }
                }
            }
            if (sideBySide) {
                Mat composed = sideBySide(frame.bgr(), overlays);
                try {
                    String stem = stemOf(frame, video);
                    if (video) {
                        writer(stem + "_side_by_side.mp4", composed, fps).write(composed);
                    } else {
                        write(out.resolve(stem + "_side_by_side.png"), composed);
                    }
                } finally {
                    composed.release();
                }
            }
        } finally {
            overlays.forEach(Mat::release);
        }
    }

    /** Frame | overlay per model, each titled, then legends of the distinct label sets. */
    private Mat sideBySide(Mat frame, List<Mat> overlays) {
        List<Mat> panels = new ArrayList<>();
        panels.add(titled(frame, "input"));
        for (int i = 0; i < overlays.size(); i++) {
            panels.add(titled(overlays.get(i), loaded.get(i).name()));
        }
        if (legend) {
            Set<LabelSet> seen = new HashSet<>();
            for (SegmentationModel m : loaded) {
                if (seen.add(m.labels())) {
                    Mat l = Legend.render(m.labels(), frame.rows());
                    panels.add(l.rows() == frame.rows() ? l : l.submat(0, frame.rows(), 0, l.cols()).clone());
                }
            }
        }
        Mat out = new Mat();
        Core.hconcat(panels, out);
        panels.forEach(Mat::release);
        return out;
    }

    private static Mat titled(Mat image, String title) {
        Mat copy = image.clone();
        Imgproc.putText(copy, title, new Point(8, 22), Imgproc.FONT_HERSHEY_SIMPLEX, 0.6, new Scalar(0, 0, 0), 3,
                Imgproc.LINE_AA);
        Imgproc.putText(copy, title, new Point(8, 22), Imgproc.FONT_HERSHEY_SIMPLEX, 0.6,
                new Scalar(255, 255, 255), 1, Imgproc.LINE_AA);
        return copy;
    }

    /** The unique output stem planned for this frame's file (video: for the input). */
    private String stemOf(Frame frame, boolean video) {
        if (video) {
            return stems.getOrDefault(input, stem(input));
        }
        if (stillName != null) {
            return stems.computeIfAbsent(input, k -> folder.claimStem(stillName));
        }
        return frame.file().map(f -> stems.computeIfAbsent(f, k -> folder.claimStem(stem(k))))
                .orElseGet(frame::name);
    }

    private VideoWriter writer(String name, Mat like, double fps) {
        VideoWriter w = writers.get(name);
        if (w == null) {
            try {
                folder.checkFree(out.resolve(name));
                w = VideoWriter.open(out.resolve(name), like.cols(), like.rows(), fps);
            } catch (SegbenchException e) {
                throw new WriteFailed(e);
            }
            writers.put(name, w);
        }
        return w;
    }

    private void report(ProgressBar bar, SegbenchException e) {
        problems.add(e.getMessage());
        if (firstProblem == null) {
            firstProblem = e;
        }
        if (!single) {
            say(bar, "skipped " + e.getMessage());
        }
    }

    /** A line on stderr that the progress bar, when it redraws in place, does not overwrite. */
    private void say(ProgressBar bar, String line) {
        bar.pause();
        err().println(terminal ? "\r" + line : line);
        err().flush();
        bar.resume();
    }

    private void summary(long frames) throws SegbenchException {
        out().printf("%d frames from %s -> %s%s%n", frames, inputs.size() == 1 ? input : inputs.size() + " images",
                out,
                problems.isEmpty() ? "" : " (" + problems.size() + " skipped)");
        ObjectNode root = Json.object();
        ArrayNode in = root.putArray("inputs");
        inputs.forEach(p -> in.add(p.toString()));
        root.put("out", out.toString());
        root.put("frames", frames);
        root.put("skipped", problems.size());
        ArrayNode errs = root.putArray("errors");
        problems.forEach(errs::add);
        ArrayNode warn = root.putArray("warnings");
        for (String[] w : warnings) {
            ObjectNode n = warn.addObject();
            n.put("file", w[0]);
            n.put("warning", w[1]);
        }
        ArrayNode left = root.putArray("left_out");
        leftOut.forEach(left::add);
        ArrayNode ms = root.putArray("models");
        for (int i = 0; i < loaded.size(); i++) {
            LatencyStats s = meters.get(i).stats();
            if (s.frames() == 0) {
                // the first frame is warm-up and left out of the timing: nothing is left to time
                out().printf("  %-24s %s, too few frames to time (the first is warm-up)%n", loaded.get(i).name(),
                        loaded.get(i).provider());
            } else {
                out().printf("  %-24s %s, mean %.1f ms/frame, %.1f FPS%n", loaded.get(i).name(),
                        loaded.get(i).provider(), s.meanMs(), s.fps());
            }
            ObjectNode n = ms.addObject();
            n.put("model", loaded.get(i).path().toString());
            n.put("name", loaded.get(i).name());
            Json.putNumber(n, "mean_ms", s.meanMs());
            Json.putNumber(n, "fps", s.fps());
        }
        for (VideoWriter w : writers.values()) {
            out().println("  wrote " + w.file());
        }
        if (json != null) {
            Json.write(json, root);
        }
    }

    private String uniqueTag(Path p) {
        String base = stem(p).replaceAll("[^A-Za-z0-9._-]", "_");
        String tag = base;
        for (int i = 2; tags.contains(tag); i++) {
            tag = base + "-" + i;
        }
        return tag;
    }

    private static String stem(Path p) {
        return p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
