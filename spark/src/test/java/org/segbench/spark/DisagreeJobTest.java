package org.segbench.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.LabelMap;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.metrics.ImageScore;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disagree job on the first 12 frames of vtest.avi in segments of 5 (so two segments start by
 * seeking) equals, frame for frame, the disagreement computed as the workbench does: both models'
 * predictions on the frames read in order, compared with {@link ImageScore#disagreement}.
 */
class DisagreeJobTest {
    private static final int FRAMES = 12;

    @TempDir
    Path tmp;

    @Test
    void perFrameDisagreementEqualsTheEnginesOnTheSameFrames() throws Exception {
        ModelOptions options = ModelOptions.defaults().withScores(false);
        DisagreeJob.Result result = DisagreeJob.run(LocalSpark.session(), new DisagreeJob.Spec(
                List.of(LocalSpark.NDNET61, LocalSpark.FASTSCNN), List.of(LocalSpark.VTEST.toString()), options, 5,
                FRAMES, 0), tmp.resolve("rows.parquet").toString(), false);
        assertEquals(3, result.segments());
        List<DisagreeRow> rows = new ArrayList<>(result.rows());
        rows.sort(Comparator.comparingLong(DisagreeRow::frame));
        assertEquals(FRAMES, rows.size());

        List<Double> expected = new ArrayList<>();
        try (SegmentationModel a = SegmentationModel.load(Path.of(LocalSpark.NDNET61), options);
             SegmentationModel b = SegmentationModel.load(Path.of(LocalSpark.FASTSCNN), options);
             FrameSource video = FrameSources.video(LocalSpark.VTEST)) {
            for (int i = 0; i < FRAMES; i++) {
                Optional<Frame> next = video.next();
                try (Frame f = next.orElseThrow()) {
                    LabelMap la = a.predict(f).labels();
                    LabelMap lb = b.predict(f).labels();
                    expected.add(ImageScore.disagreement(la, lb));
                }
            }
        }
        for (int i = 0; i < FRAMES; i++) {
            DisagreeRow r = rows.get(i);
            assertTrue(r.ok(), r.error());
            assertEquals(i, r.frame());
            assertEquals("NDNet61", r.modelA());
            assertEquals("Fast-SCNN", r.modelB());
            assertEquals(expected.get(i), r.disagreement(), "frame " + i);
        }
        // two different networks do disagree somewhere: the comparison is not of zeros
        assertTrue(expected.stream().anyMatch(d -> d > 0.01));
        assertEquals(FRAMES, LocalSpark.session().read().parquet(tmp.resolve("rows.parquet").toString()).count());
    }
}
