package org.segbench.engine.session;

import org.segbench.engine.Knob;
import org.segbench.engine.SegbenchException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model's knobs and their current values. Set from any thread (a UI slider); every session on the
 * model reads them when it feeds a run, so a change applies to the next frame wherever it runs.
 */
public final class KnobValues {
    private final Path model;
    private final List<Knob> knobs;
    private final Map<String, Float> values = new ConcurrentHashMap<>();

    public KnobValues(Path model, List<Knob> knobs) {
        this.model = model;
        this.knobs = List.copyOf(knobs);
        reset();
    }

    /** The knobs with their defaults, in file order. */
    public List<Knob> knobs() {
        return knobs;
    }

    public float get(String name) throws SegbenchException {
        Float v = values.get(name);
        if (v == null) {
            throw unknown(name);
        }
        return v;
    }

    public void set(String name, float value) throws SegbenchException {
        if (!values.containsKey(name)) {
            throw unknown(name);
        }
        values.put(name, value);
    }

    /** Puts every knob back to its default. */
    public void reset() {
        knobs.forEach(k -> values.put(k.name(), k.defaultValue()));
    }

    /** The value of a knob this model has (the feeder's read; no error path). */
    float current(Knob knob) {
        return values.getOrDefault(knob.name(), knob.defaultValue());
    }

    private SegbenchException unknown(String name) {
        String known = knobs.isEmpty() ? " (the model has no knobs)"
                : "; knobs: " + String.join(", ", knobs.stream().map(Knob::name).toList());
        return new SegbenchException(model, "no knob named '" + name + "'" + known);
    }
}
