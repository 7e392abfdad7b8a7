package org.segbench.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One image scored by one model setting: a row of the eval job's Parquet output, and what the
 * summary is summed from. A pair that could not be scored is a row with {@code error} set and no
 * counts. Columns are documented in docs/spark.md.
 *
 * @param confusion  the image's confusion counts, {@code classes x (classes + 1)} row-major (rows
 *                   ground truth, columns prediction, void column last), as {@code ConfusionMatrix}
 * @param boundary   the same over the boundary band
 * @param burnIn     one of the first frames of its session: left out of the timing
 * @param attempt    Spark's attempt number of the task that made the row (0 unless retried)
 */
record EvalRow(long index, String image, String label, int setting, String model, String modelName,
               String modelSha256, String knobs, String size, String inputSize, int classes, long[] confusion,
               long[] boundary, double miou, double pixelAccuracy, double preprocessMs, double inferenceMs,
               double postprocessMs, boolean burnIn, String provider, String[] warningFiles, String[] warnings,
               String error, int attempt) implements Serializable {

    static final StructType SCHEMA = new StructType()
            .add("index", DataTypes.LongType, false)
            .add("image", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("model_name", DataTypes.StringType, true)
            .add("model_sha256", DataTypes.StringType, false)
            .add("knobs", DataTypes.StringType, false)
            .add("size", DataTypes.StringType, false)
            .add("input_size", DataTypes.StringType, true)
            .add("tp", DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add("fp", DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add("fn", DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add("confusion", DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add("boundary_confusion", DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add("miou", DataTypes.DoubleType, true)
            .add("pixel_accuracy", DataTypes.DoubleType, true)
            .add("latency_ms", DataTypes.DoubleType, true)
            .add("preprocess_ms", DataTypes.DoubleType, true)
            .add("inference_ms", DataTypes.DoubleType, true)
            .add("postprocess_ms", DataTypes.DoubleType, true)
            .add("burn_in", DataTypes.BooleanType, false)
            .add("provider", DataTypes.StringType, true)
            .add("warnings", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("error", DataTypes.StringType, true)
            .add("task_attempt", DataTypes.IntegerType, false);

    boolean ok() {
        return error == null;
    }

    double latencyMs() {
        return preprocessMs + inferenceMs + postprocessMs;
    }

    /** The Parquet row: per-class TP/FP/FN derived from the counts, NaN as null. */
    Row toRow() {
        Long[] tp = null;
        Long[] fp = null;
        Long[] fn = null;
        if (confusion != null) {
            tp = new Long[classes];
            fp = new Long[classes];
            fn = new Long[classes];
            int stride = classes + 1;
            for (int c = 0; c < classes; c++) {
                long hit = confusion[c * stride + c];
                long truth = 0;
                for (int p = 0; p <= classes; p++) {
                    truth += confusion[c * stride + p];
                }
                long predicted = 0;
                for (int g = 0; g < classes; g++) {
                    predicted += confusion[g * stride + c];
                }
                tp[c] = hit;
                fp[c] = predicted - hit;
                fn[c] = truth - hit;
            }
        }
        String[] notes = new String[warnings.length];
        Arrays.setAll(notes, i -> warningFiles[i] + ": " + warnings[i]);
        return RowFactory.create(index, image, label, model, modelName, modelSha256, knobs, size, inputSize,
                tp, fp, fn, boxed(confusion), boxed(boundary), finite(miou), finite(pixelAccuracy),
                ok() ? finite(latencyMs()) : null, ok() ? finite(preprocessMs) : null,
                ok() ? finite(inferenceMs) : null, ok() ? finite(postprocessMs) : null, burnIn, provider, notes,
                error, attempt);
    }

    private static Long[] boxed(long[] values) {
        return values == null ? null : Arrays.stream(values).boxed().toArray(Long[]::new);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
