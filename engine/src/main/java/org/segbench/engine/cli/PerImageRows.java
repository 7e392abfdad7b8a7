package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.io.AtomicFiles;
import org.segbench.engine.metrics.EvaluationJson;
import org.segbench.engine.metrics.ImageScore;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.io.IOException;

/**
 * {@code eval --per-image}: one row per image and model, as CSV (one column per class IoU) or JSON,
 * in the order evaluated; and the worst frames first for the human summary.
 */
final class PerImageRows {
    /** Worst first; an image without a score (nothing counted) goes last. */
    static final Comparator<ImageScore> WORST_FIRST = Comparator.comparingDouble(
            (ImageScore r) -> Double.isNaN(r.meanIou()) ? Double.MAX_VALUE : r.meanIou());

    private PerImageRows() {
    }

    static void write(Path file, List<ImageScore> rows, List<String> classNames) throws SegbenchException {
        boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        byte[] bytes = csv ? csv(rows, classNames).getBytes(StandardCharsets.UTF_8) : json(rows);
        AtomicFiles.write(file, bytes);
    }

    /** Each model's {@code n} worst frames, in the order the models were evaluated. */
    static void printWorst(PrintWriter out, List<ImageScore> rows, int n) {
        rows.stream().map(ImageScore::model).distinct().forEach(model ->
                printWorst(out, model, rows.stream().filter(r -> r.model().equals(model))
                        .sorted(WORST_FIRST).limit(n).toList()));
        out.flush();
    }

    private static void printWorst(PrintWriter out, String model, List<ImageScore> worst) {
        out.printf("%s: worst %d frames (mIoU %%)%n", model, worst.size());
        for (ImageScore r : worst) {
            out.printf("  %7s  %s%s%n", percent(r.meanIou()), r.image(),
                    Double.isNaN(r.disagreement()) ? ""
                            : String.format(Locale.ROOT, "  (disagrees with the first model on %.1f%%)",
                            100 * r.disagreement()));
        }
    }

    private static String csv(List<ImageScore> rows, List<String> classNames) {
        StringBuilder b = new StringBuilder("image,model,miou,pixel_accuracy,disagreement");
        for (String name : classNames) {
            b.append(',').append(quote("iou " + name));
        }
        b.append('\n');
        for (ImageScore r : rows) {
            b.append(quote(r.image())).append(',').append(quote(r.model())).append(',')
                    .append(number(r.meanIou())).append(',').append(number(r.pixelAccuracy())).append(',')
                    .append(number(r.disagreement()));
            for (double iou : r.classIou()) {
                b.append(',').append(number(iou));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static byte[] json(List<ImageScore> rows) throws SegbenchException {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ImageScore r : rows) {
            ObjectNode n = array.addObject();
            n.put("image", r.image());
            n.put("model", r.model());
            EvaluationJson.number(n, "miou", r.meanIou());
            EvaluationJson.number(n, "pixel_accuracy", r.pixelAccuracy());
            EvaluationJson.number(n, "disagreement", r.disagreement());
            ArrayNode iou = n.putArray("class_iou");
            for (double v : r.classIou()) {
                if (Double.isFinite(v)) {
                    iou.add(v);
                } else {
                    iou.addNull();
                }
            }
        }
        try {
            return Json.MAPPER.writeValueAsBytes(array);
        } catch (IOException e) {
            throw new SegbenchException("cannot write JSON: " + e.getMessage());
        }
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "";
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
