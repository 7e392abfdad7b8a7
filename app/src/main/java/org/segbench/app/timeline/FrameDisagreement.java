package org.segbench.app.timeline;

/**
 * How much the panes disagree on one frame.
 *
 * @param key   the frame's identity ({@code SourceFrame.key()}: a file, or source and index)
 * @param index the frame's index in the source; -1 when not known
 * @param share the share of pixels where the panes do not all give the same class, 0..1
 */
public record FrameDisagreement(String key, long index, double share) { }
