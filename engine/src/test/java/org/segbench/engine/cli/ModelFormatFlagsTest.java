package org.segbench.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.TestData;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code --layout}, {@code --channel-order}, {@code --class-map} and {@code info --write-sidecar} end to end. */
class ModelFormatFlagsTest {
    private static final String MAP = TestData.REPO.resolve("assets/class-maps/cityscapes-to-camvid.json").toString();



    @Test
    void infoWritesASidecarOnceAndSaysWhatItGuessed(@TempDir Path dir) throws Exception {
        Path model = Files.copy(TestData.model("foreign_nhwc_bgr255.onnx"), dir.resolve("tf.onnx"));
        Segbench.Result r = Segbench.run("info", model.toString(), "--provider", "cpu", "--channel-order", "bgr", "--write-sidecar");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Tensors     nhwc in, nhwc out, bgr"), r.out());
        assertTrue(r.out().contains("Guessed     dataset, classes, palette, ignore_index, mean, std"), r.out());
        assertTrue(r.out().contains("Detected    layout"), r.out());
        Path sidecar = dir.resolve("tf.onnx.json");
        String written = Files.readString(sidecar);
        assertTrue(written.contains("\"channel_order\" : \"bgr\""), written);

        r = Segbench.run("info", model.toString(), "--provider", "cpu", "--write-sidecar");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains(sidecar + ": sidecar exists; give --overwrite to replace it"), r.err());
        assertEquals(written, Files.readString(sidecar), "left alone");

        r = Segbench.run("info", model.toString(), "--provider", "cpu", "--write-sidecar", "--overwrite");
        assertEquals(0, r.exitCode(), r.err());
        // now read back from the sidecar, where every key is given: nothing is guessed any more
        assertTrue(r.out().contains("Metadata    sidecar tf.onnx.json"), r.out());
        assertFalse(r.out().contains("Guessed"), r.out());
    }

    @Test
    void badLayoutAndChannelOrderValuesAreOneLine() {
        Segbench.Result r = Segbench.run("info", TestData.model("foreign_fp16.onnx").toString(), "--layout", "chw");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Invalid value for option '--layout': layout 'chw' is not nchw or nhwc"), r.err());
        assertFalse(r.err().contains("java.lang"), r.err());
        r = Segbench.run("info", TestData.model("foreign_fp16.onnx").toString(), "--channel-order", "rgba");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("channel order 'rgba' is not rgb or bgr"), r.err());
    }

    @Test
    void evalScoresACityscapesModelOnCamvidThroughTheMap(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("eval.json");
        String model = TestData.model("foreign_cityscapes19.onnx").toString();
        String list = TestData.CAMVID.resolve("val.txt").toString();
        Segbench.Result r = Segbench.run("eval", "--model", model, "--class-map", MAP, "--dataset", "camvid", "--list", list,
                "--limit", "2", "--provider", "cpu", "--threads", "1", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("mIoU"), r.out());
        assertTrue(Files.readString(json).contains("\"frames\" : 2"), Files.readString(json));
        // without the map the class counts do not fit
        r = Segbench.run("eval", "--model", model, "--dataset", "camvid", "--list", list, "--limit", "2",
                "--provider", "cpu", "--threads", "1");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("model has 19 classes but camvid has 11"), r.err());
    }

    @Test
    void voidModelRunsWithTheDatasetForced(@TempDir Path dir) {
        Segbench.Result r = Segbench.run("info", TestData.model("foreign_void_camvid.onnx").toString(), "--classes", "camvid",
                "--provider", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Classes     12 (camvid, ignore 11)") && r.out().contains("bicyclist, void"), r.out());
    }
}
