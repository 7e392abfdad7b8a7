package org.segbench.engine;

import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.segbench.engine.source.ImageFiles;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The two halves of a prediction ({@code infer}, then {@code finish}) against {@code predict}. */
class InferredFrameTest {
    private static final ModelOptions CPU = ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1);

    @Test
    void twoFramesInFlightDecodeToWhatPredictGives() throws Exception {
        Mat a = ImageFiles.readBgr(TestData.CAMVID.resolve("val/0016E5_07959.png"));
        Mat b = TestData.noise(360, 480);
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_camvid.onnx"), CPU)) {
            Prediction wantA = m.predict(a);
            Prediction wantB = m.predict(b);
            InferredFrame first = m.infer(a);
            InferredFrame second = m.infer(b);   // the first still holds its buffer: the second has its own
            Prediction gotB = second.finish();
            Prediction gotA = first.finish();
            assertArrayEquals(wantA.labels().labels(), gotA.labels().labels());
            assertArrayEquals(wantB.labels().labels(), gotB.labels().labels());
            assertArrayEquals(wantA.scores().toArray(), gotA.scores().toArray());
            assertEquals(wantA.inputSize(), gotA.inputSize());
            assertTrue(gotA.timings().inferenceMs() > 0 && gotA.timings().postprocessMs() > 0);
            assertThrows(IllegalStateException.class, first::finish, "a frame is finished once");
        }
    }

    @Test
    void aThirdFrameWaitsForABufferAndADiscardFreesOne() throws Exception {
        Mat frame = TestData.noise(96, 128);
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_camvid.onnx"), CPU)) {
            InferredFrame one = m.infer(frame);
            InferredFrame two = m.infer(frame);
            CompletableFuture<InferredFrame> three = CompletableFuture.supplyAsync(() -> {
                try {
                    return m.infer(frame);
                } catch (SegbenchException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(three.isDone(), "both buffers are held: the third frame must wait");
            one.discard();
            Prediction p = three.get(30, TimeUnit.SECONDS).finish();
            assertEquals(96 * 128, p.labels().labels().length);
            two.finish();
        }
    }

    @Test
    void releasedScoreMapsLendTheirLogitsToTheNextFrame() throws Exception {
        Mat frame = TestData.noise(96, 128);
        try (SegmentationModel m = SegmentationModel.load(TestData.model("tiny_camvid.onnx"), CPU)) {
            Prediction first = m.predict(frame);
            float before = first.scores().at(5, 7);
            assertFalse(Float.isNaN(before));
            first.scores().release();
            assertTrue(Float.isNaN(first.scores().at(5, 7)), "a released map answers NaN");
            Prediction second = m.predict(frame);
            // the same frame: the reused array holds the same logits again
            assertEquals(before, second.scores().at(5, 7), 0f);
        }
    }
}
