package org.segbench.app.palette;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.prefs.Preferences;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.testing.FxThreadStandIn;
import org.segbench.app.testing.Panes;
import org.segbench.app.testing.TestFiles;
import org.segbench.app.testing.Workbench;
import org.segbench.engine.render.ViewMode;

/** Class colours remembered per model file, and a pane drawing in the colour chosen. */
class ClassColorsTest {
    private final Workbench wb = new Workbench(ViewContext.NONE);
    private final FxThreadStandIn fx = wb.fx;
    private final Preferences node = wb.prefs.node("palettes");

    @AfterEach
    void tearDown() { wb.close(); }

    @Test
    void coloursAreRememberedForEachModelOnItsOwn() {
        ClassColors colors = new ClassColors(node);
        Path fast = Path.of("/models/fastscnn.onnx");
        Path esp = Path.of("/models/espnet_camvid.onnx");
        colors.save(fast, "road", 0x00FF00);
        colors.save(fast, "pedestrian", 0x123456);
        colors.save(esp, "road", 0xFF0000);
        ClassColors later = new ClassColors(node); // another run reads the same store
        assertEquals(Map.of("road", 0x00FF00, "pedestrian", 0x123456), later.load(fast));
        assertEquals(Map.of("road", 0xFF0000), later.load(esp));
        assertEquals(Map.of(), later.load(Path.of("/models/other.onnx")));
        later.clear(fast);
        assertEquals(Map.of(), later.load(fast));
        assertEquals(Map.of("road", 0xFF0000), later.load(esp));
    }

    @Test
    void aRecolouredClassIsDrawnInItsNewColour() throws Exception {
        assumeTrue(Files.isRegularFile(TestFiles.camvidVal("0016E5_07959")), "needs ../shared/datasets/camvid");
        PaneViewModel pane = Panes.open(1, TestFiles.MODELS.resolve("tiny_camvid.onnx"), wb.notifier, fx, ViewContext.NONE);
        fx.run(() -> {
            wb.panes.add(pane);
            pane.viewModeProperty().set(ViewMode.MASK);
        });
        pane.submit(TestFiles.frame(TestFiles.camvidVal("0016E5_07959"), 1));
        fx.await("a mask", 60, () -> pane.pictureProperty().get() != null);
        // the class the model predicts most
        byte[] labels = fx.call(() -> pane.result().prediction().labels().labels());
        int[] count = new int[256];
        for (byte b : labels) count[b & 0xFF]++;
        int top = 0;
        for (int c = 1; c < 256; c++) if (count[c] > count[top]) top = c;
        int old = 0xFF000000 | pane.labels().rgb(top);
        int cls = top;
        fx.run(() -> pane.setClassColor(cls, 0x00FF7F));
        int[] argb = fx.call(() -> pane.pictureProperty().get().argb());
        long recoloured = 0;
        for (int i = 0; i < argb.length; i++) {
            assertFalse(argb[i] == old && (labels[i] & 0xFF) == cls, "pixel " + i + " still in the old colour");
            if (argb[i] == 0xFF00FF7F) recoloured++;
        }
        assertEquals(count[top], recoloured);
        assertEquals(0x00FF7F, pane.shownLabels().rgb(top));
        assertEquals(old & 0xFFFFFF, pane.labels().rgb(top), "the model's own palette is left alone");
    }
}
