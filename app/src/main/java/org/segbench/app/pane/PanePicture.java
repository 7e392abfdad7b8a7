package org.segbench.app.pane;

/** What a pane shows, as ARGB at the frame's resolution; transparent where it has nothing to draw. */
public record PanePicture(int[] argb, int width, int height) { }
