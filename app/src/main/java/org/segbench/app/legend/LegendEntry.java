package org.segbench.app.legend;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.paint.Color;

/** One class in the legend; unticking it hides the class from every overlay, a new colour recolours it. */
public final class LegendEntry {
    private final String name;
    private final ObjectProperty<Color> color;
    private final BooleanProperty visible = new SimpleBooleanProperty(true);

    public LegendEntry(String name, Color color) {
        this.name = name;
        this.color = new SimpleObjectProperty<>(color);
    }

    public String name() { return name; }
    public Color color() { return color.get(); }
    public ObjectProperty<Color> colorProperty() { return color; }
    public BooleanProperty visibleProperty() { return visible; }
    public boolean isVisible() { return visible.get(); }
}
