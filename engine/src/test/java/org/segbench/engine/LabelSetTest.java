package org.segbench.engine;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class LabelSetTest {
    @Test
    void bundledSetsMatchTheDatasetTables() {
        LabelSet camvid = LabelSet.camvid();
        assertEquals(11, camvid.size());
        assertEquals(11, camvid.ignoreIndex());
        assertEquals("sidewalk", camvid.name(4));
        assertEquals(0x3C28DE, camvid.rgb(4)); // 60,40,222
        LabelSet city = LabelSet.cityscapes();
        assertEquals(19, city.size());
        assertEquals(255, city.ignoreIndex());
        assertEquals("bicycle", city.name(18));
        assertEquals(0x770B20, city.rgb(18)); // 119,11,32
    }

    @Test
    void defaultsByClassCount() {
        assertSame(LabelSet.cityscapes(), LabelSet.defaultFor(19));
        assertSame(LabelSet.camvid(), LabelSet.defaultFor(11));
        LabelSet five = LabelSet.defaultFor(5);
        assertEquals("class 4", five.name(4));
        Set<Integer> colours = new HashSet<>();
        for (int c : five.palette()) {
            colours.add(c);
        }
        assertEquals(5, colours.size(), "generated colours are distinct");
    }

    @Test
    void forDatasetRejectsUnknownNames() {
        assertEquals(LabelSet.camvid(), LabelSet.forDataset("CamVid"));
        assertThrows(IllegalArgumentException.class, () -> LabelSet.forDataset("ade20k"));
    }
}
