package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import me.tongfei.progressbar.ProgressBar;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Prediction;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.Timings;
import org.segbench.engine.metrics.ClassScore;
import org.segbench.engine.metrics.EvalPair;
import org.segbench.engine.metrics.EvalPairs;
import org.segbench.engine.metrics.Evaluation;
import org.segbench.engine.metrics.EvaluationJson;
import org.segbench.engine.metrics.GroundTruthFormat;
import org.segbench.engine.metrics.ImageScore;
import org.segbench.engine.metrics.LabelValueCheck;
import org.segbench.engine.metrics.IouReport;
import org.segbench.engine.metrics.LatencyStats;
import org.segbench.engine.io.OutputFolder;
import org.segbench.engine.source.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import java.io.PrintWriter;

/** {@code segbench eval}: per-class IoU of a model on a labelled dataset. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model on images with ground truth: per-class IoU, mIoU, pixel accuracy, FPS.")
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "ONNX model file; repeat to compare models on the same frames (--per-image then"
                    + " gives each later model's disagreement with the first).")
    List<Path> models;

    /** The model being evaluated now (one pass per --model). */
    private Path model;

    @Option(names = "--images", paramLabel = "DIR", description = "Folder of images (searched recursively).")
    Path images;

    @Option(names = "--labels", paramLabel = "DIR", description = "Folder of ground truth.")
    Path labels;

    @Option(names = "--dataset", paramLabel = "camvid|cityscapes",
            description = "Label set of the ground truth (required unless --reference).")
    String dataset;

    @Option(names = "--reference", paramLabel = "MODEL",
            description = "No ground truth: score against this model's predictions on --images instead.")
    Path reference;

    @Option(names = "--list", paramLabel = "FILE",
            description = "CamVid-style list of 'IMAGE LABEL' lines (train.txt, val.txt), relative to its folder.")
    Path list;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N pairs (N >= 1).")
    Integer limitOption;

    private int limit = -1;

    @Option(names = "--size", paramLabel = "HxW", converter = ModelFlags.SizeConverter.class,
            description = "Network input size for dynamic models (default: image size rounded to 32).")
    Size size;

    @Option(names = "--burn-in", paramLabel = "N", defaultValue = "5",
            description = "Frames left out of the FPS figure (default: ${DEFAULT-VALUE}).")
    int burnIn;

    @Option(names = "--save-pred", paramLabel = "DIR",
            description = "Write one 8-bit PNG per image (same name and sub-folder) with the predicted class per"
                    + " pixel. Not an input folder; existing files are kept unless --overwrite.")
    Path savePred;

    @Option(names = "--overwrite", description = "With --save-pred: replace existing files of the same name.")
    boolean overwrite;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the full result as JSON (docs/eval-json.md); with several models, an array.")
    Path json;

    @Option(names = "--boundary", paramLabel = "PX", defaultValue = "3",
            description = "Also score the band within PX pixels of a ground-truth class edge (boundary IoU,"
                    + " docs/boundary-iou.md; default: ${DEFAULT-VALUE}).")
    int boundaryPx;

    @Option(names = "--per-image", paramLabel = "FILE.csv|FILE.json",
            description = "Write one row per image and model: mIoU, pixel accuracy, per-class IoU, disagreement"
                    + " with the first model. Also prints the five worst frames.")
    Path perImage;

    private final List<ObjectNode> jsonResults = new ArrayList<>();
    private final List<ImageScore> imageRows = new ArrayList<>();
    /** The first model's labels per image, for the later models' disagreement. */
    private final Map<Path, LabelMap> firstModelLabels = new HashMap<>();
    private boolean firstModel;
    private List<String> classNames = List.of();

    @Mixin
    ModelFlags flags = new ModelFlags();

    private OutputFolder predFolder;
    /** Where each image's prediction goes, claimed before any work. */
    private final Map<Path, Path> predFiles = new HashMap<>();
    /** Folders the ground truth is read from: --save-pred may not be one of them. */
    private final Set<Path> labelFolders = new LinkedHashSet<>();
    private final List<String[]> warnings = new ArrayList<>();
    private boolean single;
    private boolean terminal = System.console() != null;

    /** Checks the options and files that do not depend on the pairs, before anything is read. */
    private void validate() throws SegbenchException {
        flags.validate();
        Checks.atLeast(spec, "--burn-in", burnIn, 0);
        if (limitOption != null) {
            Checks.atLeast(spec, "--limit", limitOption, 1);
            limit = limitOption;
        }
        Checks.atLeast(spec, "--boundary", boundaryPx, 0);
        for (Path m : models) {
            Checks.modelFile(m);
        }
        if (models.size() > 1 && savePred != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--save-pred takes one --model (predictions of several models would share names)");
        }
        if (perImage != null) {
            String name = perImage.getFileName().toString().toLowerCase();
            if (!name.endsWith(".csv") && !name.endsWith(".json")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--per-image must name a .csv or .json file, got " + perImage);
            }
            Checks.writableFile(perImage);
        }
        if (reference != null) {
            Checks.modelFile(reference);
        }
        if (json != null) {
            Checks.writableFile(json);
        }
    }

    /**
     * Opens the --save-pred folder (never one the inputs are in) and plans one file per image:
     * sub-folders under --images kept, names made unique otherwise; none may exist already.
     */
    private void planPredictions(List<Path> images) throws SegbenchException {
        if (savePred == null) {
            return;
        }
        // every folder an image or a label is read from, and the folders named on the command line
        Set<Path> inputFolders = new LinkedHashSet<>(labelFolders);
        for (Path image : images) {
            inputFolders.add(image.toAbsolutePath().getParent());
        }
        for (Path named : new Path[] {this.images, labels}) {
            if (named != null) {
                inputFolders.add(named);
            }
        }
        // --images is searched recursively: predictions inside it would be read as images next time
        predFolder = OutputFolder.open(savePred, overwrite, inputFolders, true);
        for (Path image : images) {
            String rel = this.images != null && list == null && image.startsWith(this.images)
                    ? this.images.relativize(image).toString() : image.getFileName().toString();
            predFiles.put(image, predFolder.claim(rel.replaceFirst("\\.[^./]+$", "") + ".png"));
        }
        predFolder.checkFree();
    }

    @Override
    public Integer call() throws Exception {
        validate();
        int exit = 0;
        for (int i = 0; i < models.size(); i++) {
            model = models.get(i);
            firstModel = i == 0;
            warnings.clear();  // each model's JSON lists the warnings of its own pass
            try {
                exit = Math.max(exit, reference != null ? againstReference() : againstGroundTruth());
            } catch (WriteFailed e) {
                throw (SegbenchException) e.getCause();
            }
        }
        if (json != null) {
            Json.write(json, jsonResults.size() == 1 ? jsonResults.get(0) : jsonResults);
        }
        if (perImage != null) {
            PerImageRows.write(perImage, imageRows, classNames);
            PerImageRows.printWorst(out(), imageRows, 5);
        }
        return exit;
    }

    private int againstGroundTruth() throws Exception {
        if (dataset == null) {
            throw new SegbenchException("give --dataset camvid|cityscapes (or --reference MODEL)");
        }
        LabelSet labelSet;
        try {
            labelSet = LabelSet.forDataset(dataset);
        } catch (IllegalArgumentException e) {
            throw new SegbenchException(e.getMessage());
        }
        List<EvalPair> pairs;
        if (list != null) {
            pairs = EvalPairs.fromList(list, images, labels);
        } else if (images != null && labels != null) {
            pairs = EvalPairs.matchFolders(images, labels, dataset);
        } else {
            throw new SegbenchException("give --images and --labels, or --list");
        }
        if (limit >= 0 && limit < pairs.size()) {
            pairs = pairs.subList(0, limit);
        }
        for (EvalPair pair : pairs) {
            labelFolders.add(pair.label().toAbsolutePath().getParent());
        }
        planPredictions(pairs.stream().map(EvalPair::image).toList());
        single = pairs.size() == 1;
        try (SegmentationModel m = SegmentationModel.load(model, flags.options(size, false))) {
            Evaluation eval = new Evaluation(m, labelSet, Math.min(burnIn, Math.max(0, pairs.size() - 1)))
                    .withBoundaryWidth(boundaryPx);
            List<String> problems = new ArrayList<>();
            try (ProgressBar bar = Progress.start("eval " + m.name(), pairs.size())) {
                for (EvalPair pair : pairs) {
                    GroundTruthFormat format = LabelSet.CITYSCAPES.equalsIgnoreCase(dataset)
                            ? GroundTruthFormat.detect(pair.label()) : GroundTruthFormat.CAMVID;
                    try {
                        if (!Files.exists(pair.label())) {
                            throw new SegbenchException(pair.label(), "no ground truth for " + pair.image()
                                    + " (looked for " + pair.label().getFileName()
                                    + (format == GroundTruthFormat.CAMVID
                                    ? " and the same name with other image extensions)" : ")"));
                        }
                        long counted = eval.matrix().totalPixels();
                        Prediction p = eval.add(pair, format);
                        warnIfTruncated(bar, pair.image());
                        warnIfTruncated(bar, pair.label());
                        checkLabelValues(bar, pair.label(), format, labelSet, eval.matrix().totalPixels() - counted);
                        save(p, pair.image());
                        compareWithFirst(eval, pair.image(), p);
                    } catch (SegbenchException e) {
                        skip(bar, problems, e);
                    } catch (WriteFailed e) {
                        throw e;
                    } catch (RuntimeException e) {
                        skip(bar, problems, internal(pair.image(), e));
                    }
                    bar.step();
                }
            }
            return finish(m, eval, problems);
        }
    }

    /** A JPEG or PNG cut short still decodes: say so, naming it, and mark it in the JSON. */
    private void warnIfTruncated(ProgressBar bar, Path file) {
        ImageFiles.truncation(file).ifPresent(w -> warn(bar, file, w));
    }

    /**
     * Ground truth whose values are not classes of the dataset (nor its ignore label) is most
     * likely the wrong files or the wrong --dataset: its pixels are not scored, so say so.
     */
    private void checkLabelValues(ProgressBar bar, Path label, GroundTruthFormat format, LabelSet set,
                                  long countedPixels) throws SegbenchException {
        LabelValueCheck.warning(label, format, set, countedPixels).ifPresent(w -> warn(bar, label, w));
    }

    private void warn(ProgressBar bar, Path file, String warning) {
        warnings.add(new String[] {file.toString(), warning});
        bar.pause();
        err().println((terminal ? "\r" : "") + "warning: " + file + ": " + warning);
        err().flush();
        bar.resume();
    }

    private int againstReference() throws Exception {
        List<Path> files;
        if (list != null) {
            files = EvalPairs.fromList(list, images, labels).stream().map(EvalPair::image).toList();
        } else if (images != null) {
            files = ImageFiles.listImages(images);
        } else {
            throw new SegbenchException("give --images DIR (or --list) with --reference");
        }
        if (limit >= 0 && limit < files.size()) {
            files = files.subList(0, limit);
        }
        planPredictions(files);
        single = files.size() == 1;
        try (SegmentationModel m = SegmentationModel.load(model, flags.options(size, false));
             SegmentationModel ref = SegmentationModel.load(reference, flags.options(size, false).withKnobs(
                     Map.of()))) {
            Evaluation eval = new Evaluation(m, ref.labels(), Math.min(burnIn, Math.max(0, files.size() - 1)))
                    .withBoundaryWidth(boundaryPx);
            List<String> problems = new ArrayList<>();
            try (ProgressBar bar = Progress.start("eval " + m.name() + " vs " + ref.name(), files.size())) {
                for (Path image : files) {
                    try {
                        Prediction p = eval.addAgainst(image, ref);
                        warnIfTruncated(bar, image);
                        save(p, image);
                        compareWithFirst(eval, image, p);
                    } catch (SegbenchException e) {
                        skip(bar, problems, e);
                    } catch (WriteFailed e) {
                        throw e;
                    } catch (RuntimeException e) {
                        skip(bar, problems, internal(image, e));
                    }
                    bar.step();
                }
            }
            return finish(m, eval, problems);
        }
    }

    /** A failed write is not a bad pair to skip: the outputs are at risk, so the evaluation stops. */
    private static final class WriteFailed extends RuntimeException {
        WriteFailed(SegbenchException cause) {
            super(cause);
        }
    }

    private void save(Prediction p, Path image) {
        if (predFolder != null) {
            try {
                savePrediction(p, predFiles.get(image));
            } catch (SegbenchException e) {
                throw new WriteFailed(e);
            }
        }
    }

    private SegbenchException firstProblem;
    private boolean internalError;

    /** A bug on one pair must not lose the rest of the evaluation; exit 3 at the end says there was one. */
    private SegbenchException internal(Path image, RuntimeException e) {
        internalError = true;
        return new SegbenchException(image, "internal error: " + e, e);
    }

    private void skip(ProgressBar bar, List<String> problems, SegbenchException e) {
        problems.add(e.getMessage());
        if (firstProblem == null) {
            firstProblem = e;
        }
        if (!single) {
            // with one pair its error is the command's one-line error: not also a "skipped" line
            bar.pause();
            err().println((terminal ? "\r" : "") + "skipped " + e.getMessage());
            err().flush();
            bar.resume();
        }
    }

    /**
     * Keeps the first model's labels of each image (only when there are later models to compare:
     * 1 byte per pixel per image), and gives a later model's row its disagreement with them.
     */
    private void compareWithFirst(Evaluation eval, Path image, Prediction p) {
        if (models.size() < 2) {
            return;
        }
        if (firstModel) {
            firstModelLabels.put(image, p.labels());
            return;
        }
        LabelMap first = firstModelLabels.get(image);
        List<ImageScore> rows = eval.imageScores();
        if (first != null && !rows.isEmpty() && first.width() == p.width() && first.height() == p.height()) {
            eval.replaceLastImageScore(rows.get(rows.size() - 1).withDisagreement(first, p.labels()));
        }
    }

    private int finish(SegmentationModel m, Evaluation eval, List<String> problems) throws SegbenchException {
        IouReport report = eval.report();
        printTable(m, eval, report, problems, out());
        imageRows.addAll(eval.imageScores());
        classNames = eval.dataset().classes();
        if (json != null) {
            ObjectNode root = toJson(m, eval, problems);
            if (reference != null) {
                root.put("reference", reference.toString());
            }
            jsonResults.add(root);
        }
        if (eval.frames() == 0 && firstProblem != null) {
            throw firstProblem;
        }
        return internalError ? 3 : eval.frames() == 0 ? 1 : 0;
    }

    private static void savePrediction(Prediction p, Path file) throws SegbenchException {
        Mat m = new Mat(p.height(), p.width(), CvType.CV_8UC1);
        try {
            m.put(0, 0, p.labels().labels());
            ImageFiles.write(file, m);
        } finally {
            m.release();
        }
    }

    private void printTable(SegmentationModel m, Evaluation eval, IouReport r, List<String> problems,
                                   PrintWriter out) {
        out.printf("%s on %s: %d frames%s%n", m.name(),
                reference == null ? eval.dataset().dataset() : "predictions of " + reference, eval.frames(),
                problems.isEmpty() ? "" : ", " + problems.size() + " skipped");
        out.printf("%-16s %7s %7s%n", "class", "IoU %", "acc %");
        for (ClassScore c : r.classes()) {
            out.printf("%-16s %7s %7s%n", c.name(), percent(c.iou()), percent(c.accuracy()));
        }
        out.printf("%-16s %7s%n", "mIoU", percent(r.meanIou()));
        out.printf("%-16s %7s%n", "pixel accuracy", percent(r.pixelAccuracy()));
        out.printf("%-16s %7s%n", "mean class acc", percent(r.meanClassAccuracy()));
        out.printf("%-16s %7s  (within %d px of a ground-truth edge)%n", "boundary mIoU",
                percent(eval.boundaryMatrix().meanIou()), eval.boundaryWidth());
        if (eval.seenInTraining() > 0) {
            out.printf("%-16s %d of %d frames are images %s was trained on (its training_images): these are"
                    + " training figures, not validation ones%n", "seen in training", eval.seenInTraining(),
                    eval.frames(), m.name());
        }
        Timings t = eval.meanTimings();
        LatencyStats s = eval.fps().stats();
        if (s.frames() == 0) {
            out.printf("FPS -: too few frames to time, provider %s%n", m.provider());
        } else {
            out.printf("FPS %.1f (%.1f ms per frame after %d burn-in frames: preprocess %.1f, inference %.1f,"
                    + " postprocess %.1f ms), provider %s%n", s.fps(), s.meanMs(), eval.frames() - s.frames(),
                    t.preprocessMs(), t.inferenceMs(), t.postprocessMs(), m.provider());
        }
        for (String p : problems) {
            out.println("skipped: " + p);
        }
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.2f", 100 * v);
    }

    private ObjectNode toJson(SegmentationModel m, Evaluation eval, List<String> problems) {
        EvaluationJson.Run run = new EvaluationJson.Run(m.path().toString(), m.name(),
                m.provider().toString().toLowerCase(), eval.fps().fps(), eval.meanTimings(), problems,
                eval.seenInTraining());
        ObjectNode root = EvaluationJson.of(run, eval.dataset(), eval.matrix(), eval.boundaryMatrix(),
                eval.boundaryWidth());
        ArrayNode warn = root.putArray("warnings");
        for (String[] w : warnings) {
            ObjectNode n = warn.addObject();
            n.put("file", w[0]);
            n.put("warning", w[1]);
        }
        return root;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
