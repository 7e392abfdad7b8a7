package org.segbench.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.segbench.engine.SegbenchException;

import java.nio.file.Path;

/**
 * The {@code --rows OUT.parquet} output of a job, with {@code --overwrite}'s rule: an existing output
 * is refused before any task runs (a job's rows are the user's work), replaced only when asked.
 */
final class ParquetRows {
    private ParquetRows() {
    }

    /** Fails fast when {@code rowsOut} exists and may not be replaced; nothing to check without one. */
    static void refuseExisting(HadoopFiles files, String rowsOut, boolean overwrite) throws SegbenchException {
        if (rowsOut != null && !overwrite && files.exists(rowsOut)) {
            throw new SegbenchException(Path.of(rowsOut), "already exists (give --overwrite to replace it)");
        }
    }

    /** Writes the rows; {@link SaveMode#ErrorIfExists} still guards a file made while the job ran. */
    static void write(Dataset<Row> rows, String rowsOut, boolean overwrite) {
        rows.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(rowsOut);
    }
}
