package org.segbench.app.metrics;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the IoU table shows: one column per model, one row per class, then mIoU and pixel accuracy.
 * An optional delta column shows column A minus column B (the skip-ablation's point). With
 * {@link #showBoundaryProperty()} on, each model also gets a boundary IoU column (the pixels within
 * 3 px of a ground-truth edge), and the delta a boundary delta: where a skip connection's detail
 * shows and region IoU barely moves.
 */
public final class IouTableViewModel {
    private final ObservableList<String> columns = FXCollections.observableArrayList();
    private final ObservableList<IouRow> rows = FXCollections.observableArrayList();
    private final IntegerProperty structureRevision = new SimpleIntegerProperty();
    private final StringProperty caption = new SimpleStringProperty("No ground truth: attach a label folder or file, or choose a reference pane.");
    private final IntegerProperty deltaA = new SimpleIntegerProperty(-1);
    private final IntegerProperty deltaB = new SimpleIntegerProperty(-1);
    private final BooleanProperty showBoundary = new SimpleBooleanProperty();

    public IouTableViewModel() {
        showBoundary.addListener(o -> structureRevision.set(structureRevision.get() + 1));
    }

    public ObservableList<String> columns() { return columns; }
    public ObservableList<IouRow> rows() { return rows; }
    public StringProperty captionProperty() { return caption; }
    public IntegerProperty deltaAProperty() { return deltaA; }
    public IntegerProperty deltaBProperty() { return deltaB; }
    /** Whether the table shows the boundary IoU columns beside the region ones. */
    public BooleanProperty showBoundaryProperty() { return showBoundary; }

    public boolean hasDelta() {
        return deltaA.get() >= 0 && deltaB.get() >= 0 && deltaA.get() < columns.size() && deltaB.get() < columns.size();
    }

    /** Replaces the whole table at once so the view never shows half an update. */
    public void set(List<String> newColumns, List<IouRow> newRows, String newCaption) {
        set(newColumns, newRows, newCaption, -1, -1);
    }

    /**
     * As {@link #set(List, List, String)} with a delta column A - B (-1 for none). Columns and delta
     * change together so the view rebuilds its columns once, and only when they really change.
     */
    public void set(List<String> newColumns, List<IouRow> newRows, String newCaption, int a, int b) {
        boolean structure = !columns.equals(newColumns) || deltaA.get() != a || deltaB.get() != b;
        if (structure) {
            columns.setAll(newColumns);
            deltaA.set(a);
            deltaB.set(b);
            structureRevision.set(structureRevision.get() + 1);
        }
        rows.setAll(newRows);
        caption.set(newCaption);
    }


    /** Bumped when columns or the delta pair change (views rebuild their columns on it). */
    public IntegerProperty structureRevisionProperty() { return structureRevision; }

    public void clear(String newCaption) {
        rows.clear();
        caption.set(newCaption);
    }

    /** Writes the table as CSV: IoU in percent, empty where a class has no IoU. */
    public void exportCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("class");
            boolean band = showBoundary.get();
            for (String c : columns) w.write("," + quote(c));
            if (band) for (String c : columns) w.write("," + quote("boundary " + c));
            String delta = columns.isEmpty() || !hasDelta() ? "" : columns.get(deltaA.get()) + " - " + columns.get(deltaB.get());
            if (hasDelta()) w.write("," + quote("delta " + delta));
            if (hasDelta() && band) w.write("," + quote("boundary delta " + delta));
            w.write("\n");
            for (IouRow r : rows) {
                w.write(quote(r.name()));
                for (int i = 0; i < columns.size(); i++) w.write("," + pct(r.value(i)));
                if (band) for (int i = 0; i < columns.size(); i++) w.write("," + pct(r.boundaryValue(i)));
                if (hasDelta()) w.write("," + pct(r.value(deltaA.get()) - r.value(deltaB.get())));
                if (hasDelta() && band) w.write("," + pct(r.boundaryValue(deltaA.get()) - r.boundaryValue(deltaB.get())));
                w.write("\n");
            }
        }
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v * 100);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
