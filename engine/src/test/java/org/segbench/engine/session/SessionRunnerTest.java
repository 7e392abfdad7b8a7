package org.segbench.engine.session;

import ai.onnxruntime.OnnxTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Prediction;
import org.segbench.engine.Provider;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.TestData;
import org.segbench.engine.frame.Preprocessor;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A second session on a model, as the threaded pipeline opens one: same parsed file, same knobs,
 * same output, same decoding as {@code predict}. Real ONNX Runtime on the zoo's tiny Fast-SCNN.
 */
class SessionRunnerTest {
    private static final ModelOptions CPU = ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1);
    private static final SessionTuning ONE_THREAD = SessionTuning.pipeline().withIntraOpThreads(1);

    /** One frame through a runner, decoded the way predict decodes: labels and scores at frame size. */
    private static Prediction runOnce(SegmentationModel model, SessionRunner runner, NetworkOutput out, Mat frame)
            throws Exception {
        Size in = model.inputSizeFor(new Size(frame.rows(), frame.cols()));
        FloatBuffer input = new Preprocessor(model.metadata().mean(), model.metadata().std()).apply(frame, in);
        try (OnnxTensor image = runner.imageTensor(input, in)) {
            runner.run(image, in, out);
        }
        LabelMap labels = LabelMap.blank(frame.cols(), frame.rows());
        return new Prediction(labels, out.decode(labels, true), in, null);
    }

    @Test
    void aSecondSessionComesFromTheParsedModelNotFromTheFile(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(TestData.model("tiny_fastscnn_cityscapes.onnx"), dir.resolve("fastscnn.onnx"));
        Mat frame = TestData.noise(64, 128);
        try (SegmentationModel model = SegmentationModel.load(copy, CPU)) {
            Files.delete(copy);
            try (SessionRunner runner = model.openRunner(ONE_THREAD);
                 NetworkOutput out = runner.newOutput()) {
                Prediction expected = model.predict(frame);
                Prediction got = runOnce(model, runner, out, frame);
                assertArrayEquals(expected.labels().labels(), got.labels().labels());
                assertArrayEquals(expected.scores().toArray(), got.scores().toArray());
                assertEquals(model.provider(), runner.session().provider().provider());
                assertEquals(ONE_THREAD, runner.session().tuning());
            }
        }
    }

    @Test
    void knobsSetOnTheModelApplyToEveryRunnerOnIt() throws Exception {
        Mat frame = TestData.noise(64, 128);
        try (SegmentationModel model = SegmentationModel.load(TestData.model("tiny_fastscnn_cityscapes.onnx"), CPU);
             SessionRunner runner = model.openRunner(ONE_THREAD);
             NetworkOutput out = runner.newOutput()) {
            float[] gainOne = runOnce(model, runner, out, frame).scores().toArray();
            model.setKnob("skip_gain", 0f);
            float[] gainZero = runOnce(model, runner, out, frame).scores().toArray();
            assertArrayEquals(model.predict(frame).scores().toArray(), gainZero, "the runner fed the model's value");
            double change = 0;
            for (int i = 0; i < gainOne.length; i++) {
                change = Math.max(change, Math.abs(gainOne[i] - gainZero[i]));
            }
            assertTrue(change > 1e-5, "skip_gain 0 must reach the runner's session, max score change " + change);
        }
    }

    @Test
    void laterRunsAtASizeWriteIntoOnePinnedBufferWithTheSameResult() throws Exception {
        Mat frame = TestData.noise(64, 96);
        try (SegmentationModel model = SegmentationModel.load(TestData.model("tiny_camvid.onnx"), CPU);
             SessionRunner runner = model.openRunner(ONE_THREAD);
             NetworkOutput out = runner.newOutput()) {
            byte[] first = runOnce(model, runner, out, frame).labels().labels();
            assertNull(out.pinnedBuffer(), "the first run at a size is copied out: its shape was not known");
            byte[] second = runOnce(model, runner, out, frame).labels().labels();
            FloatBuffer pinned = out.pinnedBuffer();
            assertNotNull(pinned, "the second run writes into a pinned buffer");
            byte[] third = runOnce(model, runner, out, frame).labels().labels();
            assertSame(pinned, out.pinnedBuffer(), "and later runs reuse it");
            assertArrayEquals(first, second);
            assertArrayEquals(first, third);
            assertArrayEquals(model.predict(frame).labels().labels(), first);
        }
    }
}
