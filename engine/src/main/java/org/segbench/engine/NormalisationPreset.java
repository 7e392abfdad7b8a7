package org.segbench.engine;

import java.util.Locale;

/**
 * Input conventions with a name, as mean and std in the engine's {@code (x/255 - mean) / std}
 * (docs/model-format.md): what the CLI's {@code --preset} and the workbench's "no metadata" banner
 * offer, so that a model without metadata is not silently fed the wrong normalisation.
 */
public enum NormalisationPreset {
    /** ImageNet statistics, RGB: most segmentation backbones, and the zoo's models. */
    IMAGENET(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}),
    /** {@code x/255}: values in 0..1. */
    UNIT(new float[] {0, 0, 0}, new float[] {1, 1, 1}),
    /** {@code x} itself: values in 0..255. */
    RAW255(new float[] {0, 0, 0}, new float[] {1 / 255f, 1 / 255f, 1 / 255f});

    private final float[] mean;
    private final float[] std;

    NormalisationPreset(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    /** The lower-case name the CLI takes: imagenet, unit, raw255. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #key()}, any case. */
    public static NormalisationPreset parse(String text) {
        for (NormalisationPreset p : values()) {
            if (p.key().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a preset: give imagenet, unit or raw255");
    }
}
