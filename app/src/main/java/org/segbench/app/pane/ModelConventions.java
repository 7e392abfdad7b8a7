package org.segbench.app.pane;

import org.segbench.engine.ModelMetadata;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.NormalisationPreset;
import org.segbench.engine.SegmentationModel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a pane's model is fed, in words for its info tooltip, and the warning to show when the
 * normalisation is a guess: a model without metadata, sidecar or user choice gets ImageNet's
 * statistics, which is wrong for many exports (0..1 or 0..255 inputs) and silently ruins its masks.
 */
public final class ModelConventions {
    private ModelConventions() {
    }

    /** "nchw in · nchw out · rgb · mean 0.485,0.456,0.406 · std 0.229,0.224,0.225 (metadata)". */
    public static String describe(SegmentationModel m) {
        String from = m.options().mean() != null || m.options().std() != null ? "chosen"
                : switch (m.metadata().source()) {
                    case ONNX_METADATA -> "metadata";
                    case SIDECAR -> "sidecar";
                    case DEFAULTS -> "assumed";
                };
        String preset = Arrays.stream(NormalisationPreset.values())
                .filter(p -> Arrays.equals(p.mean(), m.metadata().mean()) && Arrays.equals(p.std(), m.metadata().std()))
                .map(p -> " = " + p.key()).findFirst().orElse("");
        return m.inputLayout().key() + " in · " + m.outputLayout().key() + " out · " + m.channelOrder().key()
                + " · mean " + triple(m.metadata().mean()) + " · std " + triple(m.metadata().std())
                + preset + " (" + from + ")";
    }

    /** The banner text when the normalisation was assumed, empty when the model or the user said. */
    public static Optional<String> assumption(SegmentationModel m) {
        ModelOptions o = m.options();
        boolean chosen = o.mean() != null || o.std() != null;
        if (chosen || m.metadata().source() != ModelMetadata.Source.DEFAULTS) {
            return Optional.empty();
        }
        return Optional.of("no metadata: ImageNet normalisation assumed");
    }

    private static String triple(float[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return b.toString();
    }
}
