package org.segbench.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where a job runs: the flags every {@code segbench-spark} command shares. */
final class SparkFlags {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[*] (default when spark-submit gave none), local[N], yarn,"
                    + " k8s://https://HOST:PORT, spark://HOST:PORT.")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting, e.g. --conf spark.task.cpus=2 (ONNX Runtime threads per task).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Spark partitions of the work (default: four per core of the cluster).")
    int partitions;

    /** The session: spark-submit's settings, then these flags; local[*] when nothing names a master. */
    SparkSession session(String appName) {
        SparkConf sparkConf = new SparkConf();
        if (master != null) {
            sparkConf.setMaster(master);
        } else if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster("local[*]");
        }
        conf.forEach(sparkConf::set);
        sparkConf.setIfMissing("spark.app.name", appName);
        // a local run has nothing to show in a web UI, and the port may be taken
        if (sparkConf.get("spark.master").startsWith("local")) {
            sparkConf.setIfMissing("spark.ui.enabled", "false");
        }
        return SparkSession.builder().config(sparkConf).getOrCreate();
    }
}
