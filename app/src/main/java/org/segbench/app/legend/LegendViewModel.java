package org.segbench.app.legend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.paint.Color;

/**
 * The classes of every open model, merged by name (Cityscapes and CamVid share "road", "car", ...),
 * with the set the user has hidden and the colours the user chose. Panes listen to
 * {@link #revisionProperty()} to repaint; a colour change goes to {@link #setOnRecolor}.
 */
public final class LegendViewModel {
    private final ObservableList<LegendEntry> entries = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper revision = new ReadOnlyIntegerWrapper();
    private BiConsumer<String, Color> onRecolor = (name, color) -> { };

    /** Called when the user gives a class another colour (class name, new colour). */
    public void setOnRecolor(BiConsumer<String, Color> listener) { this.onRecolor = listener; }

    public ObservableList<LegendEntry> entries() { return entries; }

    /** Bumped whenever the visible set changes. */
    public ReadOnlyIntegerProperty revisionProperty() { return revision.getReadOnlyProperty(); }

    /** Rebuilds from the label sets of the open models, keeping what the user had hidden. */
    public void setLabelSets(List<List<ClassColor>> labelSets) {
        Set<String> hidden = hiddenNames();
        Map<String, LegendEntry> merged = new LinkedHashMap<>();
        for (List<ClassColor> set : labelSets) {
            for (ClassColor c : set) {
                merged.computeIfAbsent(c.name(), n -> {
                    LegendEntry e = new LegendEntry(n, c.color());
                    e.visibleProperty().set(!hidden.contains(n));
                    e.visibleProperty().addListener((o, a, b) -> revision.set(revision.get() + 1));
                    e.colorProperty().addListener((o, a, b) -> {
                        if (b != null && !b.equals(a)) onRecolor.accept(n, b);
                    });
                    return e;
                });
            }
        }
        entries.setAll(merged.values());
        revision.set(revision.get() + 1);
    }

    public Set<String> hiddenNames() {
        return entries.stream().filter(e -> !e.isVisible()).map(LegendEntry::name).collect(Collectors.toSet());
    }

    public void showAll() { entries.forEach(e -> e.visibleProperty().set(true)); }

    /** A packed {@code 0xRRGGBB} palette entry as a colour. */
    public static Color color(int packedRgb) {
        return Color.rgb(packedRgb >> 16 & 0xFF, packedRgb >> 8 & 0xFF, packedRgb & 0xFF);
    }

    /** A colour as packed {@code 0xRRGGBB}. */
    public static int rgb(Color c) {
        return (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8
                | (int) Math.round(c.getBlue() * 255);
    }

    /** A class name with its palette colour. */
    public record ClassColor(String name, Color color) { }
}
