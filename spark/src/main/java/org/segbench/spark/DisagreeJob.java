package org.segbench.spark;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.source.VideoSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code segbench-spark disagree}: videos cut into segments of frames, each frame predicted by
 * every model, and the share of pixels where each pair of models disagrees written as Parquet: a
 * map of where models part ways over hours of unlabelled footage.
 */
final class DisagreeJob {
    private DisagreeJob() {
    }

    /**
     * @param segmentFrames frames per unit of work
     * @param limit         frames read per video, or 0 for all
     */
    record Spec(List<String> models, List<String> videos, ModelOptions options, int segmentFrames, long limit,
                int partitions) {
    }

    /** The rows (collected: one per frame and model pair) and how many segments were planned. */
    record Result(List<DisagreeRow> rows, int segments) {
    }

    static Result run(SparkSession spark, Spec spec, String rowsOut, boolean overwrite) throws SegbenchException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
        if (spec.models().size() < 2) {
            throw new SegbenchException("give two or more --model: disagreement is between models");
        }
        ParquetRows.refuseExisting(files, rowsOut, overwrite);
        List<ModelBytes> bytes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String model : spec.models()) {
            ModelBytes b = ModelBytes.read(files, model);
            // opened here first: a model that does not load fails the job before any task runs
            try (SegmentationModel m = ExecutorModels.open(b, spec.options().withThreads(1))) {
                names.add(m.name());
            }
            bytes.add(b);
        }
        List<VideoSegment> segments = new ArrayList<>();
        for (String video : expand(files, spec.videos())) {
            segments.addAll(segments(files, video, spec.segmentFrames(), spec.limit()));
        }
        if (segments.isEmpty()) {
            throw new SegbenchException("no video frames to score");
        }
        List<Broadcast<ModelBytes>> broadcasts = bytes.stream().map(sc::broadcast).toList();
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        int partitions = spec.partitions() > 0 ? spec.partitions() : segments.size();
        SegmentScorer scorer = new SegmentScorer(broadcasts, names, spec.options().withThreads(taskCpus), files);
        JavaRDD<DisagreeRow> rows = sc.parallelize(segments, Math.min(partitions, segments.size()))
                .mapPartitions(scorer).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (rowsOut != null) {
                ParquetRows.write(spark.createDataFrame(rows.map(DisagreeRow::toRow), DisagreeRow.SCHEMA), rowsOut, overwrite);
            }
            return new Result(rows.collect(), segments.size());
        } finally {
            rows.unpersist(false);
            broadcasts.forEach(b -> b.destroy());
        }
    }

    /** Globs expanded on the driver; a plain path is kept as it is (a missing one becomes an error row). */
    private static List<String> expand(HadoopFiles files, List<String> videos) throws SegbenchException {
        List<String> out = new ArrayList<>();
        for (String v : videos) {
            if (!v.matches(".*[*?\\[{].*")) {
                out.add(v);
                continue;
            }
            try {
                Path p = files.qualify(v);
                FileStatus[] found = files.fileSystem(p).globStatus(p);
                if (found == null || found.length == 0) {
                    throw new SegbenchException(java.nio.file.Path.of(v), "no video matches");
                }
                for (FileStatus s : found) {
                    out.add(s.getPath().toString());
                }
            } catch (IOException e) {
                throw new SegbenchException(java.nio.file.Path.of(v), "cannot list: " + e.getMessage());
            }
        }
        return out;
    }

    /** The video's frames in segments; its length read from the container on the driver. */
    static List<VideoSegment> segments(HadoopFiles files, String video, int segmentFrames, long limit)
            throws SegbenchException {
        long frames;
        try (HadoopFiles.LocalCopy local = files.localCopy(video); VideoSource source = VideoSource.open(local.path())) {
            frames = source.frameCount();
        } catch (SegbenchException e) {
            // a video that does not open is one segment, whose task reports it as an error row
            return List.of(new VideoSegment(video, 0, 1));
        }
        if (limit > 0) {
            frames = frames < 0 ? limit : Math.min(frames, limit);
        }
        if (frames < 0) {
            return List.of(new VideoSegment(video, 0, Long.MAX_VALUE));
        }
        List<VideoSegment> out = new ArrayList<>();
        for (long start = 0; start < frames; start += segmentFrames) {
            out.add(new VideoSegment(video, start, Math.min(frames, start + segmentFrames)));
        }
        return out;
    }
}
