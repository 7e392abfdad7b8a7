package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import me.tongfei.progressbar.ProgressBar;
import org.opencv.core.Core;
import org.opencv.core.Mat;
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
import org.segbench.engine.source.ImageFiles;
import org.segbench.engine.source.VideoSource;
import org.segbench.engine.source.VideoWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code segbench run}: masks and overlays of one or more models on images, a folder or a video. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Segment an image, a folder or a video: mask and overlay PNGs (MP4 for video).")
final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "ONNX model; repeat for several.")
    List<Path> models;

    @Option(names = "--input", required = true, paramLabel = "IMAGE|DIR|VIDEO",
            description = "What to segment; repeat for several images.")
    List<Path> inputs;

    private Path input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--alpha", defaultValue = "0.5", paramLabel = "A",
            description = "Overlay opacity of the mask, 0..1 (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--side-by-side", description = "Also write the frame and every model's overlay side by side.")
    boolean sideBySide;

    @Option(names = "--legend", description = "Add a class legend to side-by-side outputs.")
    boolean legend;

    @Option(names = "--size", paramLabel = "HxW", converter = ModelFlags.SizeConverter.class,
            description = "Network input size for dynamic models (default: frame size rounded to 32).")
    Size size;

    @Option(names = "--limit", paramLabel = "N", description = "Process at most N frames.")
    long limit = -1;

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
    private SegbenchException firstProblem;

    @Override
    public Integer call() throws Exception {
        try {
            Set<String> knobsUsed = new HashSet<>();
            for (Path p : models) {
                // with several models a --set knob applies to those that have it
                SegmentationModel m = SegmentationModel.load(p, flags.options(size, false).withKnobs(Map.of()));
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
                boolean video = source instanceof VideoSource;
                long total = limit >= 0 && source.frameCount() >= 0 ? Math.min(limit, source.frameCount())
                        : limit >= 0 ? limit : source.frameCount();
                try (ProgressBar bar = Progress.start("run", total)) {
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
                            break;
                        }
                        try (Frame frame = next.get()) {
                            process(frame, video, source.fps());
                            frames++;
                        } catch (SegbenchException e) {
                            report(bar, e);
                        }
                        bar.step();
                    }
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
            return frames == 0 ? 1 : 0;
        } finally {
            loaded.forEach(SegmentationModel::close);
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
                try {
                    if (video) {
                        String stem = stem(input);
                        writer(stem + base + "_mask.mp4", mask, fps).write(mask);
                        writer(stem + base + "_overlay.mp4", overlay, fps).write(overlay);
                    } else {
                        ImageFiles.write(out.resolve(frame.name() + base + "_mask.png"), mask);
                        ImageFiles.write(out.resolve(frame.name() + base + "_overlay.png"), overlay);
                    }
                } finally {
                    mask.release();
                }
            }
            if (sideBySide) {
                Mat composed = sideBySide(frame.bgr(), overlays);
                try {
                    if (video) {
                        writer(stem(input) + "_side_by_side.mp4", composed, fps).write(composed);
                    } else {
                        ImageFiles.write(out.resolve(frame.name() + "_side_by_side.png"), composed);
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

    private VideoWriter writer(String name, Mat like, double fps) throws SegbenchException {
        VideoWriter w = writers.get(name);
        if (w == null) {
            w = VideoWriter.open(out.resolve(name), like.cols(), like.rows(), fps);
            writers.put(name, w);
        }
        return w;
    }

    private void report(ProgressBar bar, SegbenchException e) {
        problems.add(e.getMessage());
        if (firstProblem == null) {
            firstProblem = e;
        }
        bar.pause();
        err().println("\rskipped " + e.getMessage());
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
        ArrayNode ms = root.putArray("models");
        for (int i = 0; i < loaded.size(); i++) {
            LatencyStats s = meters.get(i).stats();
            out().printf("  %-24s %s, mean %.1f ms/frame, %.1f FPS%n", loaded.get(i).name(),
                    loaded.get(i).provider(), s.meanMs(), s.fps());
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

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
