package org.segbench.engine.render;

/** What a view of a prediction shows; {@link ViewRenderer} draws each. */
public enum ViewMode {
    IMAGE("Image"),
    MASK("Mask"),
    OVERLAY("Overlay"),
    ERROR("Error vs GT"),
    DISAGREEMENT("Disagreement");

    private final String label;

    ViewMode(String label) {
        this.label = label;
    }

    /** Whether the mode blends something over the frame (the alpha slider applies). */
    public boolean blends() {
        return this == OVERLAY || this == ERROR || this == DISAGREEMENT;
    }

    @Override
    public String toString() {
        return label;
    }
}
