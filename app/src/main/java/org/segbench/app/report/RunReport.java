package org.segbench.app.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.SpeedTotals;
import org.segbench.app.source.Pace;

/**
 * Each pane's speed over a stretch of a run, for {@code --report}: begun after the warm-up, written
 * at the end. FPS is frames shown per second of wall time, what the user saw; the stage times are
 * means over the frames predicted. A pane opened after the start is measured from when it was first
 * seen here.
 */
public final class RunReport {
    private final long startNanos = System.nanoTime();
    private final Map<PaneViewModel, SpeedTotals.Reading> start = new HashMap<>();

    private RunReport(List<PaneViewModel> panes) {
        for (PaneViewModel p : panes) start.put(p, p.speedTotals());
    }

    /** Starts measuring the panes open now (call on the FX thread). */
    public static RunReport begin(List<PaneViewModel> panes) {
        return new RunReport(panes);
    }

    /**
     * The report so far as JSON: the pace, the source, the seconds measured, and per pane its model,
     * input size, provider, {@code fps}, mean {@code preprocess_ms} / {@code inference_ms} /
     * {@code postprocess_ms}, and frames predicted, shown and dropped.
     */
    public ObjectNode toJson(List<PaneViewModel> panes, Pace pace, String source, double warmUpS) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("pace", pace == Pace.MODELS ? "models" : "realtime");
        root.put("source", source);
        root.put("warm_up_s", warmUpS);
        root.put("seconds", round((System.nanoTime() - startNanos) / 1e9));
        ArrayNode list = root.putArray("panes");
        for (PaneViewModel p : panes) {
            SpeedTotals.Reading now = p.speedTotals();
            SpeedTotals.Reading from = start.computeIfAbsent(p, k -> now);
            SpeedTotals.Reading d = now.since(from);
            ObjectNode o = list.addObject();
            o.put("pane", p.id());
            o.put("model", p.name());
            o.put("file", p.model() == null ? "" : p.model().path().toString());
            o.put("input_size", p.inputSizeProperty().get().replaceFirst("^in ", ""));
            o.put("provider", p.providerName());
            o.put("seconds", round(d.nanos() / 1e9));
            o.put("fps", round(d.shownPerSecond()));
            o.put("preprocess_ms", round(d.meanPreprocessMs()));
            o.put("inference_ms", round(d.meanInferenceMs()));
            o.put("postprocess_ms", round(d.meanPostprocessMs()));
            o.put("frames_predicted", d.predicted());
            o.put("frames_shown", d.shown());
            o.put("frames_dropped", d.dropped());
        }
        return root;
    }

    /** Writes {@link #toJson} to a file, creating its folder. */
    public void write(Path file, List<PaneViewModel> panes, Pace pace, String source, double warmUpS)
            throws IOException {
        ObjectNode root = toJson(panes, pace, source, warmUpS);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    /** Three decimals; null (JSON has no NaN) when there is no value, e.g. no frame measured. */
    private static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
    }
}
