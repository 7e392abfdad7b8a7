package org.segbench.app.legend;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.paint.Color;

/** One class in the legend; unticking it hides the class from every overlay. */
public final class LegendEntry {
    private final String name;
    private final Color color;
    private final BooleanProperty visible = new SimpleBooleanProperty(true);

    public LegendEntry(String name, Color color) {
        this.name = name;
        this.color = color;
    }

    public String name() { return name; }
    public Color color() { return color; }
    public BooleanProperty visibleProperty() { return visible; }
    public boolean isVisible() { return visible.get(); }
}
