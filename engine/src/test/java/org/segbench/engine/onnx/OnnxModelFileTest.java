package org.segbench.engine.onnx;

import org.junit.jupiter.api.Test;
import org.segbench.engine.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class OnnxModelFileTest {

    @Test
    void readsInitializersKnobsAndMetadata() throws Exception {
        OnnxModelFile f = OnnxModelFile.parse(Files.readAllBytes(TestData.model("tiny_fastscnn_cityscapes.onnx")));
        assertEquals(Map.of("skip_gain", 1.0f), f.knobDefaults());
        assertTrue(f.graphInputs().containsAll(Set.of("image", "skip_gain")));
        assertEquals("cityscapes", f.metadata().get("dataset"));
        assertTrue(f.parameterCount() > 1000);
        long sum = f.initializers().stream().mapToLong(OnnxModelFile.Initializer::elements).sum();
        assertEquals(sum, f.parameterCount());
    }

    @Test
    void droppingKnobInitializersKeepsEverythingElse() throws Exception {
        OnnxModelFile f = OnnxModelFile.parse(Files.readAllBytes(TestData.model("tiny_fastscnn_cityscapes.onnx")));
        OnnxModelFile g = OnnxModelFile.parse(f.withoutInitializers(Set.of("skip_gain")));
        assertTrue(g.knobDefaults().isEmpty());
        assertTrue(g.graphInputs().contains("skip_gain"), "the input stays, only its default goes");
        assertEquals(f.initializers().size() - 1, g.initializers().size());
        assertEquals(f.parameterCount() - 1, g.parameterCount());
        assertEquals(f.metadata(), g.metadata());
        assertSame(f.bytes(), f.withoutInitializers(Set.of()));
    }

    @Test
    void modelsWithoutKnobsHaveNone() throws Exception {
        OnnxModelFile f = OnnxModelFile.parse(Files.readAllBytes(TestData.model("tiny_no_metadata.onnx")));
        assertTrue(f.knobDefaults().isEmpty());
        assertTrue(f.metadata().isEmpty());
    }

    @Test
    void subnormalWeightsAreCountedAndFlushedWithNothingElseChanged() throws Exception {
        OnnxModelFile f = OnnxModelFile.parse(Files.readAllBytes(TestData.model("foreign_subnormal_weights.onnx")));
        // the fixture scales half of each conv's filters into the subnormal range
        assertTrue(f.subnormalWeights() > 100, "subnormals " + f.subnormalWeights());
        assertFalse(f.hasExternalData());
        OnnxModelFile g = OnnxModelFile.parse(OnnxModelFile.withSubnormalsFlushed(f.bytes()));
        assertEquals(0, g.subnormalWeights());
        assertEquals(f.parameterCount(), g.parameterCount());
        assertEquals(f.initializers().stream().map(OnnxModelFile.Initializer::name).toList(),
                g.initializers().stream().map(OnnxModelFile.Initializer::name).toList());
        assertEquals(f.graphInputs(), g.graphInputs());
        assertEquals(f.bytes().length, g.bytes().length, "values change, not the layout");

        OnnxModelFile plain = OnnxModelFile.parse(Files.readAllBytes(TestData.model("tiny_camvid.onnx")));
        assertEquals(0, plain.subnormalWeights());
        assertArrayEquals(plain.bytes(), OnnxModelFile.withSubnormalsFlushed(plain.bytes()));
    }

    @Test
    void nonOnnxBytesAreRejected() {
        assertThrows(IOException.class, () -> OnnxModelFile.parse("hello, world".getBytes()));
        assertThrows(IOException.class, () -> OnnxModelFile.parse(new byte[0]));
    }
}
