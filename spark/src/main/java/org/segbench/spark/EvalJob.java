package org.segbench.spark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.segbench.engine.Knob;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.Timings;
import org.segbench.engine.TrainingImages;
import org.segbench.engine.metrics.ConfusionMatrix;
import org.segbench.engine.metrics.EvaluationJson;
import org.segbench.engine.metrics.Evaluation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code segbench-spark eval}: every image pair scored by every model setting (models x knob grid
 * x input sizes) on a Spark cluster. Rows go to Parquet; the confusion matrices are summed from the
 * rows with {@code treeAggregate}, and each setting's summary is the JSON of
 * {@code segbench eval --json} (built by the engine's {@link EvaluationJson}) with its knobs and size.
 */
final class EvalJob {
    private EvalJob() {
    }

    /**
     * What to evaluate.
     *
     * @param knobGrid one map of knob values per grid point (at least one, maybe empty)
     * @param sizes    network input sizes, null for the engine's per-image rule
     * @param partitions Spark partitions for the work; 0 = four per core of the cluster
     */
    record Spec(List<String> models, List<ImagePair> pairs, String dataset, List<Map<String, Float>> knobGrid,
                List<Size> sizes, Provider provider, int boundaryPx, int burnIn, int partitions) {
    }

    /** The summaries (one per setting, in model, knob, size order) and the row counts. */
    record Result(List<ObjectNode> summaries, long rows, long errorRows) {
    }

    static Result run(SparkSession spark, Spec spec, String rowsOut, boolean overwrite) throws SegbenchException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
        LabelSet labels;
        try {
            labels = LabelSet.forDataset(spec.dataset());
        } catch (IllegalArgumentException e) {
            throw new SegbenchException(e.getMessage());
        }
        ParquetRows.refuseExisting(files, rowsOut, overwrite);
        List<ModelBytes> bytes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Set<String>> knobNames = new ArrayList<>();
        List<TrainingImages> trainedOn = new ArrayList<>();
        for (String model : spec.models()) {
            ModelBytes b = ModelBytes.read(files, model);
            try (SegmentationModel m = check(b, labels, spec)) {
                names.add(m.name());
                trainedOn.add(m.metadata().trainingImages());
                knobNames.add(m.knobs().stream().map(Knob::name).collect(Collectors.toSet()));
            }
            bytes.add(b);
        }
        for (Map<String, Float> point : spec.knobGrid()) {
            for (String knob : point.keySet()) {
                if (knobNames.stream().noneMatch(k -> k.contains(knob))) {
                    throw new SegbenchException("no model has a knob named '" + knob + "'");
                }
            }
        }
        List<ModelSetting> settings = settings(spec, knobNames);
        List<Broadcast<ModelBytes>> broadcasts = bytes.stream().map(sc::broadcast).toList();
        List<PairScorer.Work> work = new ArrayList<>();
        // setting-major: a partition covers few settings, so an executor opens few sessions
        for (int s = 0; s < settings.size(); s++) {
            for (ImagePair p : spec.pairs()) {
                work.add(new PairScorer.Work(p, s));
            }
        }
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        int partitions = spec.partitions() > 0 ? spec.partitions() : sc.defaultParallelism() * 4;
        partitions = Math.max(1, Math.min(partitions, work.size()));
        PairScorer scorer = new PairScorer(broadcasts, names, settings, labels.dataset(), spec.provider(), taskCpus,
                spec.boundaryPx(), spec.burnIn(), files);
        JavaRDD<EvalRow> rows = sc.parallelize(work, partitions).mapPartitions(scorer)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (rowsOut != null) {
                ParquetRows.write(spark.createDataFrame(rows.map(EvalRow::toRow), EvalRow.SCHEMA), rowsOut, overwrite);
            }
            EvalTotals zero = new EvalTotals(settings.size(), labels.size());
            EvalTotals totals = rows.treeAggregate(zero, EvalTotals::add, EvalTotals::merge);
            List<ObjectNode> summaries = new ArrayList<>();
            long errors = 0;
            for (int s = 0; s < settings.size(); s++) {
                int setting = s;
                TrainingImages trained = trainedOn.get(settings.get(s).model());
                // scored images the model learnt from (the CLI's seen_in_training): one pass over the cached rows
                long seen = trained.isEmpty() ? 0 : rows.filter(r -> r.setting() == setting && r.error() == null
                        && trained.containsFrame(r.image())).count();
                summaries.add(summary(totals, s, settings.get(s), spec, labels, names, spec.provider(), (int) seen));
                errors += totals.errors(s).size();
            }
            return new Result(summaries, work.size(), errors);
        } finally {
            rows.unpersist(false);
            broadcasts.forEach(b -> b.destroy());
        }
    }

    /**
     * Models x knob grid x sizes, in that order (the summary's order). A model is swept over the
     * knobs it has: a knob it lacks is left out of its settings (so a model without knobs is
     * evaluated once per size), as models in a sweep rarely share every knob.
     */
    static List<ModelSetting> settings(Spec spec, List<Set<String>> knobNames) {
        Set<ModelSetting> out = new LinkedHashSet<>();
        for (int m = 0; m < spec.models().size(); m++) {
            for (Map<String, Float> point : spec.knobGrid()) {
                Map<String, Float> own = new TreeMap<>(point);
                own.keySet().retainAll(knobNames.get(m));
                for (Size size : spec.sizes()) {
                    out.add(new ModelSetting(m, own, size));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Opens the model on the driver with every value of its knobs before any task runs: a model
     * that cannot be loaded, takes no such value or does not fit the dataset fails the job at once,
     * naming the file. The caller closes the model.
     */
    private static SegmentationModel check(ModelBytes bytes, LabelSet labels, Spec spec) throws SegbenchException {
        SegmentationModel m = ExecutorModels.open(bytes, ModelSetting.defaultOptions(spec.provider()));
        try {
            new Evaluation(m, labels, 0);
            Set<String> own = m.knobs().stream().map(Knob::name).collect(Collectors.toSet());
            for (Map<String, Float> point : spec.knobGrid()) {
                for (Map.Entry<String, Float> k : point.entrySet()) {
                    if (own.contains(k.getKey())) {
                        m.setKnob(k.getKey(), k.getValue());
                    }
                }
            }
            return m;
        } catch (SegbenchException e) {
            m.close();
            throw new SegbenchException(java.nio.file.Path.of(bytes.path()), e.problem(), e);
        }
    }

    private static ObjectNode summary(EvalTotals totals, int s, ModelSetting setting, Spec spec, LabelSet labels,
                                      List<String> names, Provider asked, int seenInTraining) {
        long frames = totals.frames(s);
        ConfusionMatrix region = ConfusionMatrix.ofCounts(labels.size(), labels.ignoreIndex(), totals.region(s), frames);
        ConfusionMatrix boundary = ConfusionMatrix.ofCounts(labels.size(), labels.ignoreIndex(), totals.boundary(s),
                frames);
        double[] t = totals.meanTimings(s);
        Timings mean = new Timings(t[0], t[1], t[2]);
        double fps = 1000.0 / mean.totalMs();
        List<String> errors = totals.errors(s).stream().map(EvalTotals.Note::text).toList();
        String provider = totals.provider(s) != null ? totals.provider(s) : asked.toString().toLowerCase();
        EvaluationJson.Run run = new EvaluationJson.Run(spec.models().get(setting.model()), names.get(setting.model()),
                provider, fps, mean, errors, seenInTraining);
        ObjectNode root = EvaluationJson.of(run, labels, region, boundary, spec.boundaryPx());
        ArrayNode warn = root.putArray("warnings");
        for (EvalTotals.Note w : totals.warnings(s)) {
            ObjectNode n = warn.addObject();
            n.put("file", w.file());
            n.put("warning", w.text());
        }
        // the sweep's coordinates: keys the CLI leaves out (it evaluates one setting per run)
        ObjectNode knobs = root.putObject("knobs");
        setting.knobs().forEach(knobs::put);
        root.put("input_size", setting.sizeText());
        return root;
    }
}
