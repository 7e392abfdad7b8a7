package org.segbench.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.segbench.engine.LabelMap;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.ImageScore;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The disagree job's work on an executor: each segment's frames read from its start (seeking
 * into the video), predicted by every model, and each pair of models' disagreement computed with
 * the engine's {@link ImageScore#disagreement}, as the workbench shows it.
 */
final class SegmentScorer implements FlatMapFunction<Iterator<VideoSegment>, DisagreeRow> {
    private final List<Broadcast<ModelBytes>> models;
    private final List<String> names;
    // ModelOptions is not Serializable: its parts travel, the options are made on the executor
    private final ModelSetting setting;
    private final Provider provider;
    private final int threads;
    private final HadoopFiles files;

    SegmentScorer(List<Broadcast<ModelBytes>> models, List<String> names, ModelOptions options, HadoopFiles files) {
        this.models = models;
        this.names = names;
        this.setting = new ModelSetting(0, options.knobs(), options.inputSize().orElse(null));
        this.provider = options.provider();
        this.threads = options.threads();
        this.files = files;
    }

    @Override
    public Iterator<DisagreeRow> call(Iterator<VideoSegment> segments) throws Exception {
        int attempt = TaskContext.get().attemptNumber();
        List<DisagreeRow> rows = new ArrayList<>();
        while (segments.hasNext()) {
            score(segments.next(), attempt, rows);
        }
        return rows.iterator();
    }

    private void score(VideoSegment segment, int attempt, List<DisagreeRow> rows) throws SegbenchException {
        List<ExecutorModels.Lease> leases = new ArrayList<>();
        long frame = segment.start();
        ModelOptions options = setting.options(provider, threads);
        try {
            for (Broadcast<ModelBytes> m : models) {
                // a model that does not open fails the task, hence the job: not a segment's fault
                leases.add(ExecutorModels.borrow(m, m.value().sha256(), options));
            }
            try (HadoopFiles.LocalCopy video = files.localCopy(segment.video());
                 FrameSource source = FrameSources.video(video.path())) {
                if (segment.start() > 0) {
                    source.seek(segment.start());
                }
                for (; frame < segment.end(); frame++) {
                    Optional<Frame> next = source.next();
                    if (next.isEmpty()) {
                        break;
                    }
                    try (Frame f = next.get()) {
                        List<LabelMap> labels = new ArrayList<>();
                        for (ExecutorModels.Lease lease : leases) {
                            labels.add(lease.model().predict(f).labels());
                        }
                        for (int a = 0; a < labels.size(); a++) {
                            for (int b = a + 1; b < labels.size(); b++) {
                                rows.add(new DisagreeRow(segment.video(), f.index(), f.timestampMs(), names.get(a),
                                        names.get(b), ImageScore.disagreement(labels.get(a), labels.get(b)), null,
                                        attempt));
                            }
                        }
                    }
                }
            } catch (SegbenchException e) {
                rows.add(new DisagreeRow(segment.video(), frame, Double.NaN, null, null, Double.NaN, e.getMessage(),
                        attempt));
            }
        } finally {
            leases.forEach(ExecutorModels.Lease::close);
        }
    }
}
