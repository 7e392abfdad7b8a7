package org.segbench.engine.render;

/** What a view of a prediction shows; {@link ViewRenderer} draws each. */
public enum ViewMode {
    IMAGE("Image"),
    MASK("Mask"),
    OVERLAY("Overlay"),
    ERROR("Error vs GT"),
    DISAGREEMENT("Disagreement"),
    /** The model's top-class softmax probability per pixel as a heat map: where it hesitates. */
    CONFIDENCE("Confidence");

    private final String label;

    ViewMode(String label) {
        this.label = label;
    }

    /** Whether the mode blends something over the frame (the alpha slider applies). */
    public boolean blends() {
        return this == OVERLAY || this == ERROR || this == DISAGREEMENT || this == CONFIDENCE;
    }

    @Override
    public String toString() {
        return label;
    }
}
