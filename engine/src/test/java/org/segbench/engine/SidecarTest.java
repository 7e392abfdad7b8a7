package org.segbench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.segbench.engine.frame.ChannelOrder;
import org.segbench.engine.frame.TensorLayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A written sidecar describes the model as it ran, and running from it alone gives the same labels. */
class SidecarTest {
    private static ModelOptions cpu() {
        return ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1);
    }

    @Test
    void writtenSidecarReproducesTheFlagsAndSaysWhatWasGuessed(@TempDir Path dir) throws Exception {
        Path model = Files.copy(TestData.model("foreign_nhwc_bgr255.onnx"), dir.resolve("tf.onnx"));
        Path file = ModelMetadata.sidecarOf(model);
        float scale = 1f / 255f;
        ModelOptions flags = cpu().withChannelOrder(ChannelOrder.BGR)
                .withNormalisation(new float[] {0, 0, 0}, new float[] {scale, scale, scale});
        Mat frame = TestData.noise(64, 96);
        try (SegmentationModel withFlags = SegmentationModel.load(model, flags)) {
            Sidecar sidecar = Sidecar.of(withFlags);
            assertEquals(List.of("dataset", "classes", "palette", "ignore_index"), sidecar.guessed());
            assertEquals(List.of("layout"), sidecar.detected());
            sidecar.write(file, false);
            SegbenchException e = assertThrows(SegbenchException.class, () -> sidecar.write(file, false));
            assertEquals("sidecar exists; give --overwrite to replace it", e.problem());
            sidecar.write(file, true);

            JsonNode json = new ObjectMapper().readTree(file.toFile());
            assertEquals("nhwc", json.get("layout").asText());
            assertEquals("bgr", json.get("channel_order").asText());
            assertEquals("64x96", json.get("input_size").asText());
            assertEquals(11, json.get("classes").size());
            assertEquals(3, json.get("palette").get(0).size());
            assertEquals(scale, json.get("std").get(1).floatValue(), 1e-9);

            try (SegmentationModel fromSidecar = SegmentationModel.load(model, cpu())) {
                assertEquals(ModelMetadata.Source.SIDECAR, fromSidecar.metadata().source());
                assertTrue(fromSidecar.layoutGiven());
                assertEquals(TensorLayout.NHWC, fromSidecar.inputLayout());
                assertEquals(ChannelOrder.BGR, fromSidecar.channelOrder());
                assertArrayEquals(withFlags.predict(frame).labels().labels(),
                        fromSidecar.predict(frame).labels().labels());
                // from the sidecar alone nothing is guessed any more
                assertEquals(List.of(), Sidecar.of(fromSidecar).guessed());
                assertEquals(List.of(), Sidecar.of(fromSidecar).detected());
            }
        } finally {
            frame.release();
        }
    }

    @Test
    void badLayoutOrChannelOrderInASidecarIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path model = Files.copy(TestData.model("foreign_void_camvid.onnx"), dir.resolve("m.onnx"));
        Path file = ModelMetadata.sidecarOf(model);
        Files.writeString(file, "{\"dataset\": \"camvid\", \"layout\": \"chw\"}");
        SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(model, cpu()));
        assertEquals(file, e.file().orElseThrow());
        assertEquals("metadata 'layout': layout 'chw' is not nchw or nhwc", e.problem());
        Files.writeString(file, "{\"channel_order\": \"rgba\"}");
        e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(model, cpu()));
        assertEquals("metadata 'channel_order': channel order 'rgba' is not rgb or bgr", e.problem());
    }

    @Test
    void noSidecarForAClassMappedModel() throws Exception {
        ClassMap map = ClassMap.read(TestData.REPO.resolve("assets/class-maps/cityscapes-to-camvid.json"));
        try (SegmentationModel m = SegmentationModel.load(TestData.model("foreign_cityscapes19.onnx"),
                cpu().withClassMap(map))) {
            assertThrows(SegbenchException.class, () -> Sidecar.of(m));
        }
    }
}
