package org.segbench.spark;

import java.io.Serializable;

/**
 * Frames {@code [start, end)} of one video: the disagree job's unit of work. A video of unknown
 * length is one segment with {@code end = Long.MAX_VALUE}, read to its last frame.
 */
record VideoSegment(String video, long start, long end) implements Serializable {
}
