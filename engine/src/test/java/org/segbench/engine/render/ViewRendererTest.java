package org.segbench.engine.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;

class ViewRendererTest {
    /** Four pixels: sky, road, car, and 11 (CamVid's void, outside the 11 classes). */
    private static final LabelMap PREDICTION = new LabelMap(2, 2, new byte[] {0, 3, 8, 11});
    private static final byte[] GREY = {(byte) 100, (byte) 100, (byte) 100, (byte) 100, (byte) 100, (byte) 100,
            (byte) 100, (byte) 100, (byte) 100, (byte) 100, (byte) 100, (byte) 100};
    private static final int GREY_ARGB = 0xFF646464;

    private static ViewInput input(LabelMap truth, LabelMap compared) {
        return new ViewInput(GREY, LabelSet.camvid(), PREDICTION, truth, compared);
    }

    @Test
    void imageIsTheFrameWhateverTheOptions() {
        int[] argb = ViewRenderer.render(ViewMode.IMAGE, input(null, null), new RenderOptions(1, Set.of(0), true));
        assertArrayEquals(new int[] {GREY_ARGB, GREY_ARGB, GREY_ARGB, GREY_ARGB}, argb);
    }

    @Test
    void maskIsOpaqueBlackOrTransparentWhereAClassIsHiddenOrUnknown() {
        int[] opaque = ViewRenderer.render(ViewMode.MASK, input(null, null), new RenderOptions(0.5, Set.of(3), false));
        assertArrayEquals(new int[] {0xFF808080, 0xFF000000, 0xFF400080, 0xFF000000}, opaque);
        int[] transparent = ViewRenderer.render(ViewMode.MASK, input(null, null), new RenderOptions(0.5, Set.of(3), true));
        assertArrayEquals(new int[] {0xFF808080, 0, 0xFF400080, 0}, transparent);
    }

    @Test
    void overlayBlendsClassColoursAndHiddenClassesShowTheFrame() {
        int[] argb = ViewRenderer.render(ViewMode.OVERLAY, input(null, null), new RenderOptions(1, Set.of(3), true));
        assertEquals(0xFF808080, argb[0]);
        assertEquals(GREY_ARGB, argb[1], "hidden road shows the frame");
        assertEquals(GREY_ARGB, argb[3], "void shows the frame when transparent");
        int[] opaque = ViewRenderer.render(ViewMode.OVERLAY, input(null, null), new RenderOptions(1, Set.of(), false));
        assertEquals(0xFF000000, opaque[3], "void is black when opaque");
    }

    @Test
    void errorMapIgnoresGroundTruthOutsideTheClassesAndTheIgnoreIndex() {
        // sky right, road right, 11 (CamVid's ignore index) ignored, 5 vs 11 wrong
        LabelMap truth = new LabelMap(2, 2, new byte[] {0, 3, 11, 5});
        int[] opaque = ViewRenderer.render(ViewMode.ERROR, input(truth, null), new RenderOptions(1, Set.of(), false));
        assertArrayEquals(new int[] {ViewRenderer.CORRECT, ViewRenderer.CORRECT, ViewRenderer.IGNORED, ViewRenderer.WRONG}, opaque);
        int[] transparent = ViewRenderer.render(ViewMode.ERROR, input(truth, null), new RenderOptions(1, Set.of(), true));
        assertEquals(GREY_ARGB, transparent[2], "ignored pixels show the frame");
        // Cityscapes ignores 255, and anything >= 19 is not a class either.
        LabelMap city = new LabelMap(2, 1, new byte[] {(byte) 255, 40});
        LabelMap cityPrediction = new LabelMap(2, 1, new byte[] {1, 1});
        byte[] twoGrey = {1, 2, 3, 4, 5, 6};
        int[] c = ViewRenderer.render(ViewMode.ERROR, new ViewInput(twoGrey, LabelSet.cityscapes(), cityPrediction, city, null),
                new RenderOptions(1, Set.of(), false));
        assertArrayEquals(new int[] {ViewRenderer.IGNORED, ViewRenderer.IGNORED}, c);
    }

    @Test
    void disagreementMarksWherePredictionsDiffer() {
        LabelMap other = new LabelMap(2, 2, new byte[] {0, 4, 8, 2});
        int[] argb = ViewRenderer.render(ViewMode.DISAGREEMENT, input(null, other), new RenderOptions(1, Set.of(), true));
        assertArrayEquals(new int[] {GREY_ARGB, ViewRenderer.DISAGREE, GREY_ARGB, ViewRenderer.DISAGREE}, argb);
        int[] half = ViewRenderer.render(ViewMode.DISAGREEMENT, input(null, other), new RenderOptions(0.5, Set.of(), false));
        assertEquals(0xFF424242, half[0], "agreeing pixels blend the agree colour when opaque");
        assertEquals(2, ViewRenderer.differingPixels(PREDICTION, other));
    }

    @Test
    void aComparingModeWithoutItsComparisonShowsTheFrame() {
        int[] argb = ViewRenderer.render(ViewMode.ERROR, input(null, null), RenderOptions.opaque(1));
        assertEquals(GREY_ARGB, argb[0]);
        assertEquals(GREY_ARGB, ViewRenderer.render(ViewMode.DISAGREEMENT, input(null, null), RenderOptions.opaque(1))[1]);
    }

    @Test
    void mismatchedSizesAreRefusedNamingBoth() {
        LabelMap small = new LabelMap(1, 1, new byte[] {0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> input(small, null));
        assertEquals("ground truth is 1x1, prediction 2x2", e.getMessage());
    }

    @Test
    void confidenceIsAHeatMapFromPaleYellowUnsureToDarkSure() {
        float[] p = {0f, 0.5f, 1f, Float.NaN};
        ViewInput in = new ViewInput(GREY, LabelSet.camvid(), PREDICTION, null, null, p);
        int[] argb = ViewRenderer.render(ViewMode.CONFIDENCE, in, new RenderOptions(1, Set.of(), true));
        assertEquals(0xFFFFFFAA, argb[0], "probability 0 is pale yellow");
        assertEquals(0xFF23145A, argb[2], "probability 1 is dark indigo");
        assertEquals(ViewRenderer.confidenceColor(0.5), argb[1]);
        assertEquals(argb[0], argb[3], "no score counts as no confidence");
        int[] half = ViewRenderer.render(ViewMode.CONFIDENCE, in, new RenderOptions(0, Set.of(), true));
        assertArrayEquals(new int[] {GREY_ARGB, GREY_ARGB, GREY_ARGB, GREY_ARGB}, half, "alpha 0 is the frame");
        int[] noScores = ViewRenderer.render(ViewMode.CONFIDENCE, input(null, null), new RenderOptions(1, Set.of(), true));
        assertArrayEquals(new int[] {GREY_ARGB, GREY_ARGB, GREY_ARGB, GREY_ARGB}, noScores, "without scores: the frame");
        assertThrows(IllegalArgumentException.class,
                () -> new ViewInput(GREY, LabelSet.camvid(), PREDICTION, null, null, new float[3]));
    }

    @Test
    void aConfusionCellHighlightsExactlyItsPixelsAndDimsTheRest() {
        // ground truth road everywhere; predicted sky, road, car, void: only pixel 2 is (road, car)
        LabelMap truth = new LabelMap(2, 2, new byte[] {3, 3, 3, 3});
        int[] picture = {0xFFFFFFFF, 0xFF808080, 0xFF123456, 0x00000000};
        long n = ViewRenderer.highlightCell(picture, truth, PREDICTION, 3, 8);
        assertEquals(1, n);
        assertArrayEquals(new int[] {0xFF3F3F3F, 0xFF202020, ViewRenderer.HIGHLIGHT, 0xFF000000}, picture);
    }
}
