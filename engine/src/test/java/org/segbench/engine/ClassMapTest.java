package org.segbench.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Class maps read from files: the shipped one, and the one-line errors of broken ones. */
class ClassMapTest {
    private static final Path SHIPPED = TestData.REPO.resolve("assets/class-maps/cityscapes-to-camvid.json");

    private static int camvid(String name) {
        return LabelSet.camvid().classes().indexOf(name);
    }

    @Test
    void shippedCityscapesToCamvidMapsEveryClass() throws Exception {
        ClassMap map = ClassMap.read(SHIPPED);
        assertEquals("camvid", map.to().orElseThrow());
        ClassMap.Applied applied = map.apply(LabelSet.cityscapes(), LabelSet.camvid());
        byte[] t = applied.table();
        assertEquals(LabelSet.camvid(), applied.labels(), "nothing ignored: no extra class");
        assertEquals(camvid("building"), t[3], "wall");
        assertEquals(camvid("sign/symbol"), t[6], "traffic light");
        assertEquals(camvid("tree"), t[9], "terrain");
        assertEquals(camvid("bicyclist"), t[12], "rider");
        assertEquals(camvid("car"), t[16], "train");
        assertEquals((byte) 255, t[19], "beyond the model's classes");
    }

    @Test
    void brokenMapsGiveOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path missingClass = Files.writeString(dir.resolve("short.csv"), "# to: camvid\nroad,road\n");
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> ClassMap.read(missingClass).apply(LabelSet.cityscapes(), LabelSet.camvid()));
        assertEquals(missingClass, e.file().orElseThrow());
        assertTrue(e.problem().startsWith("model classes not mapped: sidewalk, building"), e.problem());

        Path unknown = Files.writeString(dir.resolve("typo.json"), "{\"map\": {\"road\": \"raod\"}}");
        e = assertThrows(SegbenchException.class,
                () -> ClassMap.read(unknown).apply(LabelSet.cityscapes(), LabelSet.camvid()));
        assertTrue(e.problem().startsWith("no class 'raod' in dataset camvid"), e.problem());

        Path twice = Files.writeString(dir.resolve("twice.csv"), "0,road\nroad,sky\n");
        e = assertThrows(SegbenchException.class,
                () -> ClassMap.read(twice).apply(LabelSet.cityscapes(), LabelSet.camvid()));
        assertTrue(e.problem().contains("'road' is mapped twice"), e.problem());

        Path badLine = Files.writeString(dir.resolve("bad.csv"), "road;road\n");
        e = assertThrows(SegbenchException.class, () -> ClassMap.read(badLine));
        assertTrue(e.problem().startsWith("line 1: expected 'model class,dataset class'"), e.problem());

        Path noMap = Files.writeString(dir.resolve("nomap.json"), "{\"road\": \"road\"}");
        e = assertThrows(SegbenchException.class, () -> ClassMap.read(noMap));
        assertTrue(e.problem().contains("\"map\""), e.problem());

        e = assertThrows(SegbenchException.class, () -> ClassMap.read(dir.resolve("absent.json")));
        assertEquals("no such class-map file", e.problem());
    }

    @Test
    void aMapWithoutADatasetNeedsOne(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < 19; c++) {
            csv.append(c).append(",road\n");
        }
        Path file = Files.writeString(dir.resolve("all-road.csv"), csv.toString());
        ClassMap map = ClassMap.read(file);
        ModelOptions cpu = ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1).withClassMap(map);
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> SegmentationModel.load(TestData.model("foreign_cityscapes19.onnx"), cpu));
        assertTrue(e.problem().contains("names no dataset"), e.problem());
        try (SegmentationModel m = SegmentationModel.load(TestData.model("foreign_cityscapes19.onnx"),
                cpu.withDataset("camvid"))) {
            assertEquals(LabelSet.camvid(), m.labels());
            org.opencv.core.Mat frame = TestData.noise(32, 48);
            try {
                for (byte l : m.predict(frame).labels().labels()) {
                    assertEquals(camvid("road"), l);
                }
            } finally {
                frame.release();
            }
        }
    }
}
