package org.segbench.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;

/**
 * The share of pixels on which two models disagree in one video frame: a row of the disagree
 * job's Parquet output. A segment that could not be read is one row with {@code error} set, at the
 * frame where reading stopped.
 */
record DisagreeRow(String video, long frame, double timestampMs, String modelA, String modelB, double disagreement,
                   String error, int attempt) implements Serializable {

    static final StructType SCHEMA = new StructType()
            .add("video", DataTypes.StringType, false)
            .add("frame", DataTypes.LongType, false)
            .add("timestamp_ms", DataTypes.DoubleType, true)
            .add("model_a", DataTypes.StringType, true)
            .add("model_b", DataTypes.StringType, true)
            .add("disagreement", DataTypes.DoubleType, true)
            .add("error", DataTypes.StringType, true)
            .add("task_attempt", DataTypes.IntegerType, false);

    boolean ok() {
        return error == null;
    }

    Row toRow() {
        return RowFactory.create(video, frame, ok() ? timestampMs : null, modelA, modelB,
                ok() && Double.isFinite(disagreement) ? disagreement : null, error, attempt);
    }
}
