package org.segbench.app.timeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.source.SourceFrame;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.Workbench;
import org.segbench.engine.LabelMap;

/** The share of pixels where panes disagree, on hand-made label maps with a known answer. */
class DisagreementTimelineViewModelTest {
    private final Workbench wb = new Workbench(ViewContext.NONE);
    private final FxThreadStandIn fx = wb.fx;

    @AfterEach
    void tearDown() { wb.close(); }

    private static LabelMap map(int... labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) labels[i];
        return new LabelMap(labels.length, 1, b);
    }

    @Test
    void aPixelCountsWhenAnyPaneDiffersFromTheOthers() {
        LabelMap a = map(0, 1, 2, 3);
        LabelMap b = map(0, 1, 2, 4);
        LabelMap c = map(0, 5, 2, 4);
        assertEquals(0.0, DisagreementTimelineViewModel.share(List.of(a, a)));
        assertEquals(0.25, DisagreementTimelineViewModel.share(List.of(a, b)));
        // pixel 1 (c differs) and pixel 3 (b and c differ from a): two of four
        assertEquals(0.5, DisagreementTimelineViewModel.share(List.of(a, b, c)));
        assertTrue(Double.isNaN(DisagreementTimelineViewModel.share(List.of(a))), "one pane has nobody to disagree with");
        assertTrue(Double.isNaN(DisagreementTimelineViewModel.share(List.of(a, map(0, 1)))), "different sizes");
    }

    @Test
    void framesFillInWithTheirIndexAndANewSourceStartsAgain() {
        DisagreementTimelineViewModel vm = fx.call(() -> new DisagreementTimelineViewModel(wb.ws, wb.metrics,
                key -> key.equals("/data/b.png") ? 7 : -1));
        vm.record("/data/b.png", List.of(map(0, 1, 2, 3), map(0, 1, 2, 4)));
        vm.record("/data/c.png", List.of(map(0, 0), map(1, 1)));
        fx.await("two frames", 10, () -> vm.frames().size() == 2);
        FrameDisagreement b = fx.call(() -> vm.frame("/data/b.png"));
        assertEquals(new FrameDisagreement("/data/b.png", 7, 0.25), b);
        assertEquals(1.0, fx.call(() -> vm.frame("/data/c.png")).share());
        int before = fx.call(() -> vm.revisionProperty().get());
        fx.run(vm::reset);
        assertEquals(0, fx.call(() -> vm.frames().size()));
        assertNull(fx.call(() -> vm.frame("/data/b.png")));
        assertTrue(fx.call(() -> vm.revisionProperty().get()) > before, "the strip is told to redraw");

        // The first frame of another source starts it again; more frames of that source do not.
        vm.record("/data/b.png", List.of(map(0, 1), map(0, 0)));
        fx.await("a frame again", 10, () -> vm.frames().size() == 1);
        fx.run(() -> vm.onSourceFrame(frame("video.avi", 0)));
        assertEquals(0, fx.call(() -> vm.frames().size()));
        vm.record("video.avi#1", List.of(map(0, 1), map(0, 0)));
        fx.await("a video frame", 10, () -> vm.frames().size() == 1);
        fx.run(() -> vm.onSourceFrame(frame("video.avi", 1)));
        assertEquals(1, fx.call(() -> vm.frames().size()));
    }

    private static SourceFrame frame(String source, long index) {
        return new SourceFrame(index + 1, index, 10, index * 40.0, new byte[3], 1, 1, Optional.empty(), source);
    }

    @Test
    void thinningKeepsEveryFourthPixelOfEveryFourthRow() {
        byte[] labels = new byte[9 * 5];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) i;
        byte[] thin = DisagreementTimelineViewModel.thin(new LabelMap(9, 5, labels));
        // columns 0, 4, 8 of rows 0 and 4
        assertArrayEquals(new byte[] {0, 4, 8, 36, 40, 44}, thin);
    }
}
