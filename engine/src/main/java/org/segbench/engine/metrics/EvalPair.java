package org.segbench.engine.metrics;

import java.nio.file.Path;

/** An image and its ground-truth file. */
public record EvalPair(Path image, Path label) {
}
