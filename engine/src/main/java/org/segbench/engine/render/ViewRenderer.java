package org.segbench.engine.render;

import java.util.List;

import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import java.util.ArrayList;

/**
 * The one function that draws a prediction as a {@link ViewMode} shows it: opaque or transparent
 * ARGB at the frame's resolution (row-major, the layout of JavaFX's {@code getIntArgbInstance()}).
 * The workbench's panes and its saved PNG/MP4 both draw through {@link #render}, so what is on
 * screen and what is in the file are the same pixels.
 *
 * <p>The error and disagreement maps are label maps of their own (correct / wrong / ignored,
 * agree / differ) coloured and blended by the same {@link Colorizer} as the class mask.
 */
public final class ViewRenderer {
    /** Error map colours: correct, wrong, ignored. */
    public static final int CORRECT = 0xFF2E7D32;
    public static final int WRONG = 0xFFD32F2F;
    public static final int IGNORED = 0xFF303030;
    /** Disagreement colours: same class, different class. */
    public static final int AGREE = 0xFF202020;
    public static final int DISAGREE = 0xFFFF2BD6;

    /** A confusion-matrix cell's pixels: this colour, everything else dimmed. */
    public static final int HIGHLIGHT = 0xFF00E5FF;

    private static final int IGNORED_CODE = 2;
    private static final int AGREE_CODE = 0;
    private static final LabelSet ERROR_CODES = codes("error map", List.of("correct", "wrong", "ignored"),
            CORRECT, WRONG, IGNORED);
    private static final LabelSet DISAGREEMENT_CODES = codes("disagreement", List.of("agree", "differ"), AGREE, DISAGREE);
    private static final LabelSet CONFIDENCE_LEVELS = confidenceRamp();

    private ViewRenderer() {
    }

    /**
     * The picture of one view. A comparing mode without what it compares with (no ground truth, no
     * second prediction) shows the frame.
     */
    public static int[] render(ViewMode mode, ViewInput in, RenderOptions options) {
        return switch (mode) {
            case IMAGE -> frame(in);
            case MASK -> classes(in.labels(), options).mask(in.prediction(), options.transparent() ? 0 : 0xFF000000);
            case OVERLAY -> blend(in, classes(in.labels(), options), in.prediction(), options);
            case ERROR -> in.groundTruth() == null ? frame(in)
                    : blend(in, codes(ERROR_CODES, IGNORED_CODE, options), errorCodes(in), options);
            case DISAGREEMENT -> in.compared() == null ? frame(in)
                    : blend(in, codes(DISAGREEMENT_CODES, AGREE_CODE, options), disagreementCodes(in), options);
            case CONFIDENCE -> in.confidence() == null ? frame(in)
                    : blend(in, new Colorizer(CONFIDENCE_LEVELS), confidenceLevels(in), options);
        };
    }

    /**
     * The heat-map colour of a top-class probability: pale yellow where the model hesitates
     * (near 0), through orange and red, to dark indigo where it is sure (1). Low confidence is the
     * bright end because that is what the eye should find: it lines up with the errors.
     */
    public static int confidenceColor(double probability) {
        double t = Double.isNaN(probability) ? 0 : Math.max(0, Math.min(1, probability));
        int level = (int) Math.round(t * 255);
        return 0xFF000000 | CONFIDENCE_LEVELS.rgb(level);
    }

    /**
     * Shows one confusion-matrix cell on a picture, in place: the pixels whose ground truth is
     * {@code truthClass} and whose prediction is {@code predictedClass} become {@link #HIGHLIGHT},
     * every other pixel is dimmed to a quarter (so no dimmed pixel can look highlighted).
     *
     * @return how many pixels were highlighted
     */
    public static long highlightCell(int[] picture, LabelMap truth, LabelMap prediction, int truthClass, int predictedClass) {
        byte[] g = truth.labels();
        byte[] p = prediction.labels();
        if (g.length != p.length || picture.length != p.length) {
            throw new IllegalArgumentException("picture " + picture.length + ", ground truth " + truth.size()
                    + ", prediction " + prediction.size());
        }
        long n = 0;
        for (int i = 0; i < picture.length; i++) {
            if ((g[i] & 0xFF) == truthClass && (p[i] & 0xFF) == predictedClass) {
                picture[i] = HIGHLIGHT;
                n++;
            } else {
                picture[i] = 0xFF000000 | (picture[i] >> 2) & 0x3F3F3F;
            }
        }
        return n;
    }

    /** How many pixels two predictions of the same size label differently. */
    public static long differingPixels(LabelMap a, LabelMap b) {
        byte[] x = a.labels();
        byte[] y = b.labels();
        if (x.length != y.length) {
            throw new IllegalArgumentException("label maps " + a.size() + " and " + b.size());
        }
        long d = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                d++;
            }
        }
        return d;
    }

    /** The class colouriser: hidden classes, and with transparency labels outside the set, show nothing. */
    private static Colorizer classes(LabelSet labels, RenderOptions options) {
        Colorizer c = new Colorizer(labels);
        for (int id : options.hiddenClasses()) {
            if (id >= 0 && id < 256) {
                c.setHidden(id, true);
            }
        }
        if (options.transparent()) {
            for (int id = labels.size(); id < 256; id++) {
                c.setHidden(id, true);
            }
        }
        return c;
    }

    private static Colorizer codes(LabelSet codes, int nothingToShow, RenderOptions options) {
        Colorizer c = new Colorizer(codes);
        c.setHidden(nothingToShow, options.transparent());
        return c;
    }

    private static int[] blend(ViewInput in, Colorizer colours, LabelMap map, RenderOptions options) {
        int[] out = new int[map.width() * map.height()];
        colours.overlay(in.frameBgr(), map, options.alpha(), out);
        return out;
    }

    private static int[] frame(ViewInput in) {
        byte[] bgr = in.frameBgr();
        int[] out = new int[in.width() * in.height()];
        for (int i = 0, p = 0; i < out.length; i++, p += 3) {
            out[i] = 0xFF000000 | (bgr[p + 2] & 0xFF) << 16 | (bgr[p + 1] & 0xFF) << 8 | (bgr[p] & 0xFF);
        }
        return out;
    }

    /** 0 correct, 1 wrong, 2 ignored: ground truth at or above the class count, or the ignore index. */
    private static LabelMap errorCodes(ViewInput in) {
        byte[] g = in.groundTruth().labels();
        byte[] p = in.prediction().labels();
        int classes = in.labels().size();
        int ignore = in.labels().ignoreIndex();
        byte[] out = new byte[g.length];
        for (int i = 0; i < g.length; i++) {
            int gt = g[i] & 0xFF;
            out[i] = (byte) (gt == ignore || gt >= classes ? IGNORED_CODE : gt == (p[i] & 0xFF) ? 0 : 1);
        }
        return new LabelMap(in.width(), in.height(), out);
    }

    /** 0 agree, 1 differ. */
    private static LabelMap disagreementCodes(ViewInput in) {
        byte[] x = in.prediction().labels();
        byte[] y = in.compared().labels();
        byte[] out = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (byte) (x[i] == y[i] ? AGREE_CODE : 1);
        }
        return new LabelMap(in.width(), in.height(), out);
    }

    /** Probability 0..1 as a level 0..255 per pixel, coloured by {@link #CONFIDENCE_LEVELS}. */
    private static LabelMap confidenceLevels(ViewInput in) {
        float[] c = in.confidence();
        byte[] out = new byte[c.length];
        for (int i = 0; i < c.length; i++) {
            float v = c[i];
            out[i] = (byte) (Float.isNaN(v) ? 0 : Math.round(Math.max(0, Math.min(1, v)) * 255));
        }
        return new LabelMap(in.width(), in.height(), out);
    }

    /** 256 colours along pale yellow, orange, red, dark indigo (probability 0 to 1). */
    private static LabelSet confidenceRamp() {
        int[][] stops = {{255, 255, 170}, {255, 150, 0}, {200, 30, 60}, {35, 20, 90}};
        double[] at = {0, 0.45, 0.75, 1};
        int[] rgb = new int[256];
        List<String> names = new ArrayList<>(256);
        for (int level = 0; level < 256; level++) {
            double t = level / 255.0;
            int k = t >= at[2] ? 2 : t >= at[1] ? 1 : 0;
            double f = (t - at[k]) / (at[k + 1] - at[k]);
            int r = (int) Math.round(stops[k][0] + f * (stops[k + 1][0] - stops[k][0]));
            int g = (int) Math.round(stops[k][1] + f * (stops[k + 1][1] - stops[k][1]));
            int b = (int) Math.round(stops[k][2] + f * (stops[k + 1][2] - stops[k][2]));
            rgb[level] = r << 16 | g << 8 | b;
            names.add("p=" + level + "/255");
        }
        return new LabelSet("confidence", names, rgb, -1);
    }

    private static LabelSet codes(String name, List<String> names, int... argb) {
        int[] rgb = new int[argb.length];
        for (int i = 0; i < argb.length; i++) {
            rgb[i] = argb[i] & 0xFFFFFF;
        }
        return new LabelSet(name, names, rgb, -1);
    }
}
