package org.segbench.app.ranking;

/**
 * One frame in the ranked list.
 *
 * @param key          the frame's identity (an image file, or source and index)
 * @param name         what the list shows: the file name, or "frame N"
 * @param index        the frame's index in the source when known, else -1
 * @param meanIou      the chosen model's mIoU on this frame alone; NaN when not scored
 * @param accuracy     its pixel accuracy; NaN when not scored
 * @param disagreement share of pixels where the panes disagree; NaN when not all panes saw it
 */
public record FrameRow(String key, String name, long index, double meanIou, double accuracy, double disagreement) { }
