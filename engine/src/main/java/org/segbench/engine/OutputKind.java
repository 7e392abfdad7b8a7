package org.segbench.engine;

/** What the chosen segmentation output holds. */
public enum OutputKind {
    /** {@code N x C x h x w} float scores; argmax over C gives the class. */
    LOGITS,
    /** {@code N x h x w} or {@code N x 1 x h x w} integer class indices. */
    LABEL_MAP
}
