package org.segbench.app.pane;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;

import org.segbench.engine.Knob;

/** One knob of a pane's model: its value as a property the slider binds to, and its default. */
public final class KnobViewModel {
    private final Knob knob;
    private final DoubleProperty value;

    public KnobViewModel(Knob knob) {
        this.knob = knob;
        this.value = new SimpleDoubleProperty(knob.defaultValue());
    }

    public String name() { return knob.name(); }
    public double defaultValue() { return knob.defaultValue(); }
    public DoubleProperty valueProperty() { return value; }
    public void reset() { value.set(knob.defaultValue()); }

    /** Slider range: gains live in [0, 2x default] (at least [0, 2]) so 0 = ablated, default in the middle. */
    public double max() { return Math.max(2, Math.abs(knob.defaultValue()) * 2); }
    public double min() { return Math.min(0, knob.defaultValue() * 2); }
}
