package org.segbench.app.pane;

import java.util.Optional;
import java.util.Set;

import org.segbench.engine.LabelMap;
import org.segbench.engine.Prediction;

/**
 * A pane's picture as plain ARGB pixels at the frame's resolution, blended exactly as the pane
 * shows it. Used for recording, where Node.snapshot per video frame is both slow and, under a busy
 * render thread, able to stall the FX thread.
 */
public final class PaneComposite {
    private PaneComposite() { }

    /** The composed picture of the pane's latest result, or null before its first one. */
    public static int[] compose(PaneViewModel vm, Optional<LabelMap> groundTruth, Set<String> hidden) {
        PaneResult r = vm.result();
        if (r == null) return null;
        Prediction p = r.prediction();
        int[] frame = r.frame().argb();
        double alpha = vm.alphaProperty().get();
        return switch (vm.viewModeProperty().get()) {
            case IMAGE -> frame;
            case MASK -> opaque(LabelImages.mask(p.labels(), vm.labels(), hidden));
            case OVERLAY -> blend(frame, LabelImages.mask(p.labels(), vm.labels(), hidden), alpha);
            case ERROR -> groundTruth.filter(g -> g.width() == p.width() && g.height() == p.height())
                    .map(g -> blend(frame, LabelImages.error(p.labels(), g, vm.labels().ignoreIndex()), alpha))
                    .orElse(frame);
            case DISAGREEMENT -> {
                PaneViewModel other = vm.compareWithProperty().get();
                Optional<PaneResult[]> both = other == null ? Optional.empty() : vm.latestCommonResult(other);
                if (both.isEmpty() || both.get()[1].prediction().width() != p.width()
                        || both.get()[1].prediction().height() != p.height()) yield frame;
                yield blend(both.get()[0].frame().argb(), LabelImages.disagreement(
                        both.get()[0].prediction().labels(), both.get()[1].prediction().labels()), alpha);
            }
        };
    }

    /** Transparent pixels (hidden classes) become the background colour, as on screen. */
    private static int[] opaque(int[] argb) {
        for (int i = 0; i < argb.length; i++) if ((argb[i] >>> 24) == 0) argb[i] = 0xFF15171A;
        return argb;
    }

    /** base + alpha x layer, where the layer's own transparent pixels leave the base alone. */
    static int[] blend(int[] base, int[] layer, double alpha) {
        int a = (int) Math.round(Math.max(0, Math.min(1, alpha)) * 256);
        int[] out = new int[base.length];
        for (int i = 0; i < base.length; i++) {
            int l = layer[i], b = base[i];
            if ((l >>> 24) == 0) {
                out[i] = b;
                continue;
            }
            int r = ((b >> 16 & 0xFF) * (256 - a) + (l >> 16 & 0xFF) * a) >> 8;
            int g = ((b >> 8 & 0xFF) * (256 - a) + (l >> 8 & 0xFF) * a) >> 8;
            int bl = ((b & 0xFF) * (256 - a) + (l & 0xFF) * a) >> 8;
            out[i] = 0xFF000000 | r << 16 | g << 8 | bl;
        }
        return out;
    }
}
