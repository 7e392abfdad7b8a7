package org.segbench.spark;

import java.io.Serializable;

/**
 * An image and its ground truth as Hadoop paths, with its place in the input (the order of the
 * CLI's pass, which the summary's error list keeps).
 */
record ImagePair(long index, String image, String label) implements Serializable {
}
