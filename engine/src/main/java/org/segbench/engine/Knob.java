package org.segbench.engine;

/**
 * A scalar float model input with a default stored in the model (an initializer of the same
 * name), e.g. Fast-SCNN's {@code skip_gain} = 1.0. Set it with {@link SegmentationModel#setKnob}.
 */
public record Knob(String name, float defaultValue) {
}
