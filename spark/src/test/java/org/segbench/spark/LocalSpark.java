package org.segbench.spark;

import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/**
 * One local Spark for all tests of the module (starting one costs seconds), and where the test
 * inputs are: the bundled models and ../shared beside the checkout.
 */
final class LocalSpark {
    /** Tests run in spark/; the repository root is its parent. */
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path CAMVID = REPO.resolveSibling("shared").resolve("datasets/camvid");
    static final Path VTEST = REPO.resolve("sample-images/vtest.avi");
    static final String NDNET61 = REPO.resolve("assets/models/ndnet61.onnx").toString();
    static final String FASTSCNN = REPO.resolve("assets/models/fastscnn.onnx").toString();

    private LocalSpark() {
    }

    /**
     * Two worker threads, as CI has two cores; {@code local[2,2]} rather than {@code local[2]} so
     * that a failed task is tried a second time (plain local mode gives up after one failure).
     */
    static synchronized SparkSession session() {
        return SparkSession.builder().master("local[2,2]").appName("segbench-spark tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    static HadoopFiles files() {
        return new HadoopFiles(session().sparkContext().hadoopConfiguration());
    }
}
