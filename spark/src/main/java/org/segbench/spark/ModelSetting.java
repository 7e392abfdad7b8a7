package org.segbench.spark;

import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.Size;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One point of a sweep: a model (its index in the job's model list) with knob values and a
 * network input size. Every image is scored once per setting; the summary has one entry per setting.
 *
 * @param knobs values set on the model, sorted by name; empty = the model's defaults
 * @param size  the network input size, or null for the engine's rule (image size rounded to 32,
 *              or the model's declared size)
 */
record ModelSetting(int model, TreeMap<String, Float> knobs, Size size) implements Serializable {

    ModelSetting(int model, Map<String, Float> knobs, Size size) {
        this(model, new TreeMap<>(knobs), size);
    }

    /** {@code skip_gain=0,foo=0.5}: the row's knobs column; empty for the defaults. */
    String knobsText() {
        return knobs.entrySet().stream().map(e -> e.getKey() + "=" + number(e.getValue()))
                .collect(Collectors.joining(","));
    }

    /** {@code 360x480}, or {@code auto} when the engine picks the size per image. */
    String sizeText() {
        return size == null ? "auto" : size.toString();
    }

    Optional<Size> inputSize() {
        return Optional.ofNullable(size);
    }

    /** How an executor opens this setting's model: one intra-op pool of {@code threads}, no score maps. */
    ModelOptions options(Provider provider, int threads) {
        return ModelOptions.defaults().withProvider(provider).withThreads(threads).withInputSize(size)
                .withScores(false).withKnobs(knobs);
    }

    /** The driver's check of a model: its defaults, one thread, no score maps. */
    static ModelOptions defaultOptions(Provider provider) {
        return ModelOptions.defaults().withProvider(provider).withThreads(1).withScores(false);
    }

    /** 0 rather than 0.0: knob values as a user types them. */
    static String number(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Float.toString(v);
    }
}
