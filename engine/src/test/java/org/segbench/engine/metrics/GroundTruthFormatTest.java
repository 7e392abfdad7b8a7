package org.segbench.engine.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.OpenCv;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.TestData;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class GroundTruthFormatTest {
    private static final Path CITY_COLOUR =
            TestData.CITYSCAPES_SAMPLE.resolve("frankfurt_000001_058914_gtFine_color.png");

    @Test
    void cityscapesLabelIdsMapToTrainIds() {
        assertEquals(0, CityscapesLabels.trainIdOf(7));    // road
        assertEquals(5, CityscapesLabels.trainIdOf(17));   // pole
        assertEquals(255, CityscapesLabels.trainIdOf(18)); // polegroup
        assertEquals(18, CityscapesLabels.trainIdOf(33));  // bicycle
        assertEquals(255, CityscapesLabels.trainIdOf(0));
        assertEquals(255, CityscapesLabels.trainIdOf(9));  // parking
        assertEquals(255, CityscapesLabels.trainIdOf(-1));
    }

    @Test
    void cityscapesColoursMapToTrainIdsWithGreyAsPole() {
        assertEquals(5, CityscapesLabels.trainIdOfColour(0x999999));   // 153,153,153
        assertEquals(0, CityscapesLabels.trainIdOfColour(0x804080));   // road 128,64,128
        assertEquals(13, CityscapesLabels.trainIdOfColour(0x00008E));  // car 0,0,142
        assertEquals(255, CityscapesLabels.trainIdOfColour(0xFAAAA0)); // parking
        assertEquals(255, CityscapesLabels.trainIdOfColour(0x000000));
    }

    @Test
    void labelIdFileIsReadAsTrainIds(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Mat ids = new Mat(2, 3, CvType.CV_8UC1);
        ids.put(0, 0, new byte[] {7, 8, 17, 18, 26, 0});
        Path file = dir.resolve("x_gtFine_labelIds.png");
        ImageFiles.write(file, ids);
        assertEquals(GroundTruthFormat.CITYSCAPES_LABEL_IDS, GroundTruthFormat.detect(file));
        LabelMap m = GroundTruthFormat.CITYSCAPES_LABEL_IDS.read(file);
        assertArrayEquals(new int[] {0, 1, 5, 255, 13, 255},
                new int[] {m.at(0, 0), m.at(1, 0), m.at(2, 0), m.at(0, 1), m.at(1, 1), m.at(2, 1)});
    }

    @Test
    void realCityscapesColourGroundTruthMapsEveryPixel() throws Exception {
        assertEquals(GroundTruthFormat.CITYSCAPES_COLOR, GroundTruthFormat.detect(CITY_COLOUR));
        LabelMap m = GroundTruthFormat.CITYSCAPES_COLOR.read(CITY_COLOUR);
        assertEquals(2048, m.width());
        assertEquals(1024, m.height());
        Mat bgr = ImageFiles.readBgr(CITY_COLOUR);
        int[] rgb = ImageFiles.bgrToArgb(bgr);
        long[] histogram = new long[256];
        for (int i = 0; i < rgb.length; i++) {
            int t = m.labels()[i] & 0xFF;
            histogram[t]++;
            // each pixel's train id is the one its colour stands for
            assertEquals(CityscapesLabels.trainIdOfColour(rgb[i]), t);
        }
        for (int t = 19; t < 255; t++) {
            assertEquals(0, histogram[t], "train id " + t);
        }
        // a street scene: road, building, vegetation, car and sky are all there
        for (int t : new int[] {0, 2, 8, 10, 13}) {
            assertTrue(histogram[t] > 1000, "class " + t + " has " + histogram[t] + " pixels");
        }
        assertTrue(histogram[255] > 0, "ego vehicle / unlabeled are ignored");
    }

    @Test
    void camvidLabelsAreReadAsIs() throws Exception {
        Path label = TestData.CAMVID.resolve("valannot/0016E5_07959.png");
        LabelMap m = GroundTruthFormat.detect(label).read(label);
        assertEquals(480, m.width());
        assertEquals(360, m.height());
        Mat raw = ImageFiles.readUnchanged(label);
        byte[] expected = new byte[480 * 360];
        raw.get(0, 0, expected);
        assertArrayEquals(expected, m.labels());
        for (byte b : m.labels()) {
            assertTrue((b & 0xFF) <= 11);
        }
    }

    @Test
    void aColourImageIsNotACamvidLabelFile() {
        Path image = TestData.CAMVID.resolve("val/0016E5_07959.png");
        SegbenchException e = assertThrows(SegbenchException.class, () -> GroundTruthFormat.CAMVID.read(image));
        assertEquals(image, e.file().orElseThrow());
        assertTrue(e.problem().contains("single-channel"), e.problem());
    }

    @Test
    void missingAndCorruptLabelFilesNameTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.png");
        SegbenchException e = assertThrows(SegbenchException.class, () -> GroundTruthFormat.CAMVID.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        Path corrupt = dir.resolve("corrupt.png");
        byte[] png = Files.readAllBytes(TestData.CAMVID.resolve("valannot/0016E5_07959.png"));
        Files.write(corrupt, java.util.Arrays.copyOf(png, 40));
        e = assertThrows(SegbenchException.class, () -> GroundTruthFormat.CAMVID.read(corrupt));
        assertTrue(e.problem().startsWith("not a readable image"), e.problem());
    }
}
