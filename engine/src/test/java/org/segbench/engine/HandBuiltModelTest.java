package org.segbench.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.segbench.engine.HandBuiltOnnx.Port;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Graph shapes the zoo's fixtures do not cover, on hand-built Identity models: inputs the engine
 * cannot feed are refused with a one-line reason; a dynamic class dimension is resolved.
 */
class HandBuiltModelTest {
    private static final ModelOptions CPU = ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1);

    @Test
    void aModelWithoutAnImageLikeInputIsRejected(@TempDir Path dir) {
        Path file = HandBuiltOnnx.identity(dir.resolve("vector.onnx"),
                new Port[] {new Port("x", 1, 10)}, new Port[] {new Port("y", 1, 10)});
        SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(file, CPU));
        assertEquals(file, e.file().orElseThrow());
        assertTrue(e.problem().contains("neither the image nor a scalar"), e.problem());
    }

    @Test
    void aGreyscaleInputIsAnImageInputAFourChannelOneIsNot(@TempDir Path dir) {
        // grey (1 channel) is fed a grey frame: the identity model then fails only on its 1-channel output
        Path grey = HandBuiltOnnx.identity(dir.resolve("grey.onnx"),
                new Port[] {new Port("image", 1, 1, -1, -2)}, new Port[] {new Port("y", 1, 1, -1, -2)});
        SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(grey, CPU));
        assertTrue(e.problem().startsWith("no segmentation-shaped output"), e.getMessage());
        Path rgba = HandBuiltOnnx.identity(dir.resolve("rgba.onnx"),
                new Port[] {new Port("image", 1, 4, -1, -2)}, new Port[] {new Port("y", 1, 4, -1, -2)});
        e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(rgba, CPU));
        assertTrue(e.getMessage().startsWith(rgba + ": input 'image'"), e.getMessage());
    }

    @Test
    void anExtraInputWithoutDefaultIsRejected(@TempDir Path dir) {
        Path file = HandBuiltOnnx.identity(dir.resolve("two.onnx"),
                new Port[] {new Port("image", 1, 3, -1, -2), new Port("mask", 1, 3, -1, -2)},
                new Port[] {new Port("logits", 1, 3, -1, -2)});
        SegbenchException e = assertThrows(SegbenchException.class, () -> SegmentationModel.load(file, CPU));
        assertTrue(e.problem().contains("'mask'"), e.problem());
    }

    @Test
    void aNamedOutputMustExist(@TempDir Path dir) {
        // (outputs of the wrong shape: tiny_classifier.onnx in SegmentationModelTest)
        Path file = HandBuiltOnnx.identity(dir.resolve("rgb.onnx"),
                new Port[] {new Port("image", 1, 3, 8, 8)}, new Port[] {new Port("y", 1, 3, 8, 8)});
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> SegmentationModel.load(file, CPU.withOutput("nope")));
        assertTrue(e.problem().startsWith("no output named 'nope'"), e.problem());
    }

    @Test
    void aHandBuiltThreeClassModelRunsEndToEnd(@TempDir Path dir) throws Exception {
        // identity "logits" = the normalised image: argmax picks the strongest RGB channel
        Path file = HandBuiltOnnx.identity(dir.resolve("rgb.onnx"),
                new Port[] {new Port("image", 1, 3, -1, -2)}, new Port[] {new Port("logits", 1, 3, -1, -2)});
        try (SegmentationModel m = SegmentationModel.load(file,
                CPU.withNormalisation(new float[] {0, 0, 0}, new float[] {1, 1, 1}))) {
            assertEquals(3, m.classCount());
            assertEquals("generated", m.labels().dataset());
            OpenCv.load();
            Mat bgr = new Mat(64, 64, CvType.CV_8UC3,
                    new Scalar(200, 10, 20)); // blue wins: RGB channel 2
            Prediction p = m.predict(bgr);
            assertEquals(2, p.labelAt(10, 10));
            assertEquals(64, p.width());
        }
    }

    @Test
    void aDynamicClassDimensionIsFoundByAProbeRun(@TempDir Path dir) throws Exception {
        // channels dynamic on the input too, so that ONNX Runtime cannot infer the output's
        Path file = HandBuiltOnnx.identity(dir.resolve("dynamic_c.onnx"),
                new Port[] {new Port("image", -4, -3, -1, -2)}, new Port[] {new Port("logits", -4, -3, -1, -2)});
        try (SegmentationModel m = SegmentationModel.load(file, CPU)) {
            assertEquals(-1, m.output().shape()[1]);
            assertEquals(3, m.classCount());
            assertEquals(OutputKind.LOGITS, m.outputKind());
        }
    }

    @Test
    void weightsStoredAsExternalDataAreFound(@TempDir Path dir) throws Exception {
        for (boolean external : new boolean[] {false, true}) {
            Path sub = Files.createDirectories(dir.resolve(external ? "external" : "inline"));
            Path file = HandBuiltOnnx.addBias(sub.resolve("bias.onnx"), new float[] {0f, 0f, 1f}, external);
            try (SegmentationModel m = SegmentationModel.load(file,
                    CPU.withNormalisation(new float[] {0, 0, 0}, new float[] {1, 1, 1}))) {
                assertEquals(3, m.classCount());
                assertEquals(3, m.parameterCount(), "the bias' elements");
                OpenCv.load();
                Mat grey = new Mat(8, 8, CvType.CV_8UC3,
                        new Scalar(128, 128, 128));
                // equal channels: the bias decides, class 2 everywhere
                assertEquals(2, m.predict(grey).labelAt(4, 4), external ? "external" : "inline");
            }
        }
    }

    @Test
    void aModelWhoseScoresAreNaNIsNamedInAWarningAndAFiniteOneIsNot(@TempDir Path dir) throws Exception {
        // logits = image + bias: a NaN bias makes every score NaN, a finite one none
        Path nan = HandBuiltOnnx.addBias(dir.resolve("nan.onnx"), new float[] {Float.NaN, 0, 0}, false);
        Path fine = HandBuiltOnnx.addBias(dir.resolve("fine.onnx"), new float[] {0, 0.5f, 0}, false);
        OpenCv.load();
        Mat bgr = new Mat(16, 16, CvType.CV_8UC3, new Scalar(10, 20, 30));
        try (SegmentationModel broken = SegmentationModel.load(nan, CPU);
             SegmentationModel ok = SegmentationModel.load(fine, CPU)) {
            assertTrue(broken.nonFiniteWarning().isEmpty());
            broken.predict(bgr);
            ok.predict(bgr);
            assertTrue(broken.nonFiniteWarning().orElseThrow().contains("NaN"));
            assertTrue(ok.nonFiniteWarning().isEmpty());
        } finally {
            bgr.release();
        }
    }
}
