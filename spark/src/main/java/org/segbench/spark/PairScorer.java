package org.segbench.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Prediction;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.ConfusionMatrix;
import org.segbench.engine.metrics.EvalPair;
import org.segbench.engine.metrics.Evaluation;
import org.segbench.engine.metrics.GroundTruthFormat;
import org.segbench.engine.metrics.LabelValueCheck;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The eval job's work on an executor: each (pair, setting) of a partition scored with the
 * engine's own {@link Evaluation}, so a row's counts are the ones {@code segbench eval} adds for
 * that image. A bad image or label gives an error row; only a model that cannot be opened fails
 * the task (and, as it fails the same way on every attempt, the job).
 */
final class PairScorer implements FlatMapFunction<Iterator<PairScorer.Work>, EvalRow> {
    /**
     * Test hook, a Spark local property ({@code SparkContext.setLocalProperty}, seen by the job's
     * tasks): when "true", the first attempt of partition 0 dies after its first row, as a task on a
     * lost executor would, and Spark runs it again (with {@code local[N,F]}, F >= 2, or a cluster).
     */
    static final String FAIL_FIRST_ATTEMPT = "segbench.test.failFirstAttempt";

    private final List<Broadcast<ModelBytes>> models;
    private final List<String> modelNames;
    private final List<ModelSetting> settings;
    private final String dataset;
    private final Provider provider;
    private final int threads;
    private final int boundaryPx;
    private final int burnIn;
    private final HadoopFiles files;

    /** One image pair under one setting. */
    record Work(ImagePair pair, int setting) implements java.io.Serializable {
    }

    PairScorer(List<Broadcast<ModelBytes>> models, List<String> modelNames, List<ModelSetting> settings,
               String dataset, Provider provider, int threads, int boundaryPx, int burnIn, HadoopFiles files) {
        this.models = models;
        this.modelNames = modelNames;
        this.settings = settings;
        this.dataset = dataset;
        this.provider = provider;
        this.threads = threads;
        this.boundaryPx = boundaryPx;
        this.burnIn = burnIn;
        this.files = files;
    }

    @Override
    public Iterator<EvalRow> call(Iterator<Work> work) throws Exception {
        TaskContext task = TaskContext.get();
        boolean failOnce = "true".equals(task.getLocalProperty(FAIL_FIRST_ATTEMPT))
                && task.partitionId() == 0 && task.attemptNumber() == 0;
        List<EvalRow> rows = new ArrayList<>();
        while (work.hasNext()) {
            rows.add(score(work.next(), task.attemptNumber()));
            if (failOnce) {
                throw new IllegalStateException("test hook " + FAIL_FIRST_ATTEMPT + ": first attempt of partition 0 dies");
            }
        }
        return rows.iterator();
    }

    private EvalRow score(Work w, int attempt) throws SegbenchException {
        ModelSetting s = settings.get(w.setting());
        Broadcast<ModelBytes> model = models.get(s.model());
        ModelBytes meta = model.value();
        LabelSet labels = LabelSet.forDataset(dataset);
        ImagePair pair = w.pair();
        // the model failing to open is not this pair's fault: it propagates and fails the task
        try (ExecutorModels.Lease lease = ExecutorModels.borrow(model, meta.sha256(), s.options(provider, threads))) {
            try (HadoopFiles.LocalCopy image = files.localCopy(pair.image());
                 HadoopFiles.LocalCopy label = files.localCopy(pair.label())) {
                return scored(w, s, meta, labels, lease, image.path(), label.path(), attempt);
            } catch (SegbenchException e) {
                return failed(w, s, meta, labels, e.getMessage(), attempt);
            } catch (RuntimeException e) {
                return failed(w, s, meta, labels, pair.image() + ": internal error: " + e, attempt);
            }
        }
    }

    /** Scores one pair as {@code segbench eval} does, with its warnings; throws for a bad pair. */
    private EvalRow scored(Work w, ModelSetting s, ModelBytes meta, LabelSet labels, ExecutorModels.Lease lease,
                           Path image, Path label, int attempt) throws SegbenchException {
        ImagePair pair = w.pair();
        GroundTruthFormat format = LabelSet.CITYSCAPES.equalsIgnoreCase(dataset)
                ? GroundTruthFormat.detect(label) : GroundTruthFormat.CAMVID;
        if (!Files.exists(label)) {
            throw new SegbenchException(label, "no ground truth for " + image + " (looked for " + label.getFileName()
                    + (format == GroundTruthFormat.CAMVID ? " and the same name with other image extensions)" : ")"));
        }
        Evaluation eval = new Evaluation(lease.model(), labels, 0).withBoundaryWidth(boundaryPx);
        Prediction p = eval.add(new EvalPair(image, label), format);
        boolean warm = lease.countPrediction() >= burnIn;
        List<String[]> notes = new ArrayList<>();
        note(notes, pair.image(), image);
        note(notes, pair.label(), label);
        LabelValueCheck.warning(label, format, labels, eval.matrix().totalPixels())
                .ifPresent(text -> notes.add(new String[] {pair.label(), text}));
        return new EvalRow(pair.index(), pair.image(), pair.label(), w.setting(), meta.path(),
                modelNames.get(s.model()), meta.sha256(), s.knobsText(), s.sizeText(), p.inputSize().toString(),
                labels.size(), counts(eval.matrix()), counts(eval.boundaryMatrix()), eval.matrix().meanIou(),
                eval.matrix().pixelAccuracy(), p.timings().preprocessMs(), p.timings().inferenceMs(),
                p.timings().postprocessMs(), !warm, lease.model().provider().toString().toLowerCase(),
                column(notes, 0), column(notes, 1), null, attempt);
    }

    private EvalRow failed(Work w, ModelSetting s, ModelBytes meta, LabelSet labels, String error, int attempt) {
        ImagePair pair = w.pair();
        return new EvalRow(pair.index(), pair.image(), pair.label(), w.setting(), meta.path(), modelNames.get(s.model()),
                meta.sha256(), s.knobsText(), s.sizeText(), null, labels.size(), null, null, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, false, null, new String[0], new String[0], error, attempt);
    }

    /** A JPEG or PNG cut short still decodes: kept as a warning, as the CLI does. */
    private static void note(List<String[]> notes, String name, Path local) {
        ImageFiles.truncation(local).ifPresent(w -> notes.add(new String[] {name, w}));
    }

    private static String[] column(List<String[]> notes, int k) {
        return notes.stream().map(n -> n[k]).toArray(String[]::new);
    }

    static long[] counts(ConfusionMatrix m) {
        int n = m.classes();
        long[] out = new long[n * (n + 1)];
        for (int g = 0; g < n; g++) {
            for (int p = 0; p <= n; p++) {
                out[g * (n + 1) + p] = m.count(g, p);
            }
        }
        return out;
    }
}
