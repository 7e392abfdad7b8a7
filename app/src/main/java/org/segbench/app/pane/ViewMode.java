package org.segbench.app.pane;

/** What a pane draws. */
public enum ViewMode {
    IMAGE("Image"),
    MASK("Mask"),
    OVERLAY("Overlay"),
    ERROR("Error vs GT"),
    DISAGREEMENT("Disagreement");

    private final String label;

    ViewMode(String label) { this.label = label; }

    @Override
    public String toString() { return label; }
}
