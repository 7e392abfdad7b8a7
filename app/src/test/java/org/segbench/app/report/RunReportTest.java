package org.segbench.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.app.notify.Notifier;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.source.Pace;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.Panes;
import org.segbench.app.testing.TestFiles;
import org.segbench.engine.source.Frame;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

/** What {@code --report} writes: a real pane on real frames, measured after a warm-up. */
class RunReportTest {
    private final FxThreadStandIn fx = new FxThreadStandIn();
    private final Notifier notifier = new Notifier(fx);
    private PaneViewModel pane;

    @AfterEach
    void tearDown() {
        if (pane != null) pane.close();
        fx.close();
    }

    /** The next n frames of the sample video, each waited for until the pane shows it. */
    private void showFrames(FrameSource video, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            SourceFrame f;
            try (Frame next = video.next().orElseThrow()) {
                f = SourceFrame.copyOf(next.bgr(), next.index() + 1, next.index(), video.frameCount(),
                        next.timestampMs(), next.file(), "vtest");
            }
            long shown = pane.speedTotals().shown();
            fx.run(() -> pane.submit(f));
            fx.await("frame shown", 60, () -> pane.speedTotals().shown() > shown);
        }
    }

    @Test
    void theReportHasEachPanesSpeedAfterTheWarmUp(@TempDir Path tmp) throws Exception {
        pane = Panes.open(1, TestFiles.MODELS.resolve("tiny_camvid.onnx"), notifier, fx, ViewContext.NONE);
        RunReport report;
        try (FrameSource video = FrameSources.open(TestFiles.ROOT.resolve("sample-images/vtest.avi"))) {
            showFrames(video, 2);                   // the warm-up: left out
            report = fx.call(() -> RunReport.begin(List.of(pane)));
            showFrames(video, 4);
        }
        Path file = tmp.resolve("out/report.json");
        fx.run(() -> {
            try {
                report.write(file, List.of(pane), Pace.MODELS, "test frames", 10);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("models", root.get("pace").asText());
        assertEquals(10, root.get("warm_up_s").asDouble());
        JsonNode p = root.get("panes").get(0);
        for (String key : List.of("model", "input_size", "provider", "seconds", "fps", "preprocess_ms",
                "inference_ms", "postprocess_ms", "frames_predicted", "frames_shown", "frames_dropped")) {
            assertTrue(p.has(key), "missing " + key + " in " + p);
        }
        assertEquals(4, p.get("frames_shown").asLong(), "only the frames after the warm-up");
        assertEquals(4, p.get("frames_predicted").asLong());
        assertEquals(0, p.get("frames_dropped").asLong());
        double seconds = p.get("seconds").asDouble();
        assertEquals(4 / seconds, p.get("fps").asDouble(), 0.01 * 4 / seconds + 1e-3);
        assertTrue(p.get("inference_ms").asDouble() > 0, p.toString());
        assertTrue(p.get("postprocess_ms").asDouble() > 0, p.toString());
    }
}
