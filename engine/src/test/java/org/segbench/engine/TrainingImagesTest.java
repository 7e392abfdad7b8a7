package org.segbench.engine;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingImagesTest {
    @Test
    void matchesFileNamesWithOrWithoutTheirExtension() {
        TrainingImages t = TrainingImages.parse("[\"0016E5_07959\", \"val/0001TP_008550.png\"]");
        assertEquals(2, t.size());
        assertTrue(t.contains(Path.of("/data/camvid/val/0016E5_07959.png")));
        assertTrue(t.contains(Path.of("elsewhere/0001TP_008550.jpg")));
        assertFalse(t.contains(Path.of("/data/camvid/val/0016E5_07961.png")));
        assertFalse(TrainingImages.none().contains(Path.of("0016E5_07959.png")));
        assertTrue(TrainingImages.none().isEmpty());
        // frame keys: a file path, or a video frame
        assertTrue(t.containsFrame("/data/camvid/val/0016E5_07959.png"));
        assertTrue(t.containsFrame("C:\\camvid\\0001TP_008550.png"));
        assertFalse(t.containsFrame("0016E5_07959.avi#12"));
        assertFalse(TrainingImages.none().containsFrame("/data/camvid/val/0016E5_07959.png"));
    }

    @Test
    void anythingButAnArrayOfNamesIsRefusedWithTheKeyNamed() {
        for (String bad : new String[] {"{\"a\": 1}", "[1, 2]", "not json", "\"0016E5_07959\""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingImages.parse(bad));
            assertTrue(e.getMessage().contains("training_images"), e.getMessage());
        }
    }
}
