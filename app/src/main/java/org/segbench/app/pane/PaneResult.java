package org.segbench.app.pane;

import org.segbench.app.source.SourceFrame;
import org.segbench.engine.Prediction;

/** A pane's latest output: the frame it ran on and what the model predicted for it. */
public record PaneResult(SourceFrame frame, Prediction prediction) { }
