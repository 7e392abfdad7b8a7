package org.segbench.engine.render;

import java.util.Set;

/**
 * How {@link ViewRenderer} draws.
 *
 * @param alpha         weight of the colours over the frame: 0 = frame only, 1 = colours only
 * @param hiddenClasses class ids the user hid (mask and overlay)
 * @param transparent   true: pixels with nothing to show (a hidden class, a label outside the class
 *                      set, ground truth to ignore, two predictions that agree) leave the frame as
 *                      it is and are transparent in the mask; false: they get a colour of their own
 */
public record RenderOptions(double alpha, Set<Integer> hiddenClasses, boolean transparent) {
    public RenderOptions {
        hiddenClasses = Set.copyOf(hiddenClasses);
    }

    /** Nothing hidden, half-blended, every pixel coloured: what a saved file shows by default. */
    public static RenderOptions opaque(double alpha) {
        return new RenderOptions(alpha, Set.of(), false);
    }
}
