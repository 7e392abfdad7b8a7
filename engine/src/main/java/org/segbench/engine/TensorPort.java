package org.segbench.engine;

import java.util.Arrays;

/**
 * A named model input or output as ONNX Runtime declares it: element type and shape, with
 * {@code -1} for a dynamic dimension.
 */
public record TensorPort(String name, String type, long[] shape) {
    public TensorPort {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Shape as {@code [1, 3, ?, ?]}, {@code ?} for dynamic dimensions. */
    public String shapeText() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return b.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorPort p && p.name.equals(name) && p.type.equals(type) && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + shapeText();
    }
}
