package org.segbench.engine.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.segbench.engine.LabelSet;
import org.segbench.engine.Timings;

import java.util.List;

/**
 * The JSON of {@code segbench eval --json}: one schema, built in one place, so that every tool
 * that writes an evaluation (the CLI, a batch job) writes the same keys. NaN and infinities are
 * written as null (JSON has no NaN). Documented in docs/eval-json.md.
 */
public final class EvaluationJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EvaluationJson() {
    }

    /**
     * What the schema holds besides the matrices: who was evaluated on what, and how fast.
     *
     * @param seenInTraining scored frames the model declares it was trained on, or null when not checked
     */
    public record Run(String model, String modelName, String provider, double fps, Timings meanTimings,
                      List<String> errors, Integer seenInTraining) {
        public Run {
            errors = List.copyOf(errors);
        }
    }

    /**
     * @param labels the ground truth's label set (names of the rows and columns)
     * @param region the confusion matrix over all scored pixels
     * @param boundary the confusion matrix of the boundary band, or null when not measured
     */
    public static ObjectNode of(Run run, LabelSet labels, ConfusionMatrix region, ConfusionMatrix boundary,
                                int boundaryWidth) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", run.model());
        root.put("model_name", run.modelName());
        root.put("dataset", labels.dataset());
        root.put("frames", region.frames());
        IouReport r = region.report(labels);
        ArrayNode classes = root.putArray("classes");
        for (ClassScore c : r.classes()) {
            ObjectNode n = classes.addObject();
            n.put("name", c.name());
            number(n, "iou", c.iou());
            number(n, "accuracy", c.accuracy());
            if (boundary != null) {
                number(n, "boundary_iou", boundary.iou(c.classId()));
            }
        }
        number(root, "miou", r.meanIou());
        number(root, "pixel_accuracy", r.pixelAccuracy());
        number(root, "mean_class_accuracy", r.meanClassAccuracy());
        if (boundary != null) {
            ObjectNode b = root.putObject("boundary");
            b.put("width_px", boundaryWidth);
            number(b, "miou", boundary.meanIou());
            number(b, "pixel_accuracy", boundary.pixelAccuracy());
            b.put("pixels", boundary.totalPixels());
        }
        root.set("confusion_matrix", confusion(region, labels));
        number(root, "fps", run.fps());
        ObjectNode latency = root.putObject("latency_ms");
        number(latency, "preprocess", run.meanTimings().preprocessMs());
        number(latency, "inference", run.meanTimings().inferenceMs());
        number(latency, "postprocess", run.meanTimings().postprocessMs());
        root.put("provider", run.provider());
        root.put("skipped", run.errors().size());
        if (run.seenInTraining() == null) {
            root.putNull("seen_in_training");
        } else {
            root.put("seen_in_training", run.seenInTraining());
        }
        ArrayNode errors = root.putArray("errors");
        run.errors().forEach(errors::add);
        return root;
    }

    /**
     * Rows = ground truth, columns = prediction, in class order; raw counts, a last column for
     * predictions outside the label set (a void class), and each row divided by its total.
     */
    public static JsonNode confusion(ConfusionMatrix m, LabelSet labels) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode names = node.putArray("classes");
        for (int c = 0; c < m.classes(); c++) {
            names.add(labels.name(c));
        }
        ArrayNode counts = node.putArray("counts");
        ArrayNode normalised = node.putArray("row_normalised");
        for (int g = 0; g < m.classes(); g++) {
            ArrayNode row = counts.addArray();
            ArrayNode share = normalised.addArray();
            long total = m.groundTruthPixels(g);
            for (int p = 0; p <= m.classes(); p++) {
                row.add(m.count(g, p));
                if (total == 0) {
                    share.addNull();
                } else {
                    share.add(m.count(g, p) / (double) total);
                }
            }
        }
        node.put("last_column", "predictions outside the label set (void)");
        return node;
    }

    /** Puts a number, or null when it is NaN or infinite. */
    public static void number(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }
}
