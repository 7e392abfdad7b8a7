package org.segbench.engine;

/** ONNX Runtime execution provider. {@code AUTO} tries CUDA and falls back to CPU, logging why. */
public enum Provider {
    AUTO, CUDA, CPU;

    public static Provider parse(String text) {
        return valueOf(text.trim().toUpperCase());
    }
}
