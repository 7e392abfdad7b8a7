package org.segbench.engine.pipeline;

import org.junit.jupiter.api.Test;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Size;
import org.segbench.engine.TestData;
import org.segbench.engine.session.SessionTuning;
import org.segbench.engine.source.FrameSource;
import org.segbench.engine.source.FrameSources;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pipeline on the real street video (vtest.avi, 576x768) with the zoo's tiny models, real ONNX
 * Runtime and FFmpeg: order, dropping, buffer reuse, cancellation and agreement with the engine's
 * plain single-threaded {@code predict}. No timing assertions.
 */
class FramePipelineTest {
    /** Small network input keeps the tests quick; labels still come out at 576x768. */
    private static final Size INPUT = new Size(64, 96);

    private static SegmentationModel load(String name) throws Exception {
        return SegmentationModel.load(TestData.model(name),
                ModelOptions.defaults().withProvider(Provider.CPU).withThreads(1).withInputSize(INPUT));
    }

    private static PipelineOptions blocking(int frames) {
        return PipelineOptions.blocking().withMaxFrames(frames).withTuning(SessionTuning.pipeline().withIntraOpThreads(1));
    }

    @Test
    void blockingModeDeliversEveryFrameInOrder() throws Exception {
        try (SegmentationModel model = load("tiny_camvid.onnx");
             PipelineSession session = PipelineSession.open(model, SessionTuning.pipeline().withIntraOpThreads(1));
             FrameSource source = FrameSources.open(TestData.VTEST);
             FramePipeline pipeline = FramePipeline.start(session, source, blocking(40))) {
            List<Long> indices = new ArrayList<>();
            for (FrameResult r; (r = pipeline.next()) != null; ) {
                try (FrameResult done = r) {
                    indices.add(r.index());
                    assertEquals(768, r.width());
                    assertEquals(576, r.height());
                    assertNotNull(r.overlay());
                    assertEquals(INPUT, r.inputSize());
                }
            }
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < 40; i++) {
                expected.add(i);
            }
            assertEquals(expected, indices);
            PipelineStats stats = pipeline.stats();
            assertEquals(40, stats.delivered());
            assertEquals(0, stats.dropped());
            assertEquals(40, stats.inference().frames());
            assertTrue(pipeline.awaitTermination(10_000));
            assertTrue(pipeline.allBuffersReturned());
        }
    }

    @Test
    void labelMapsMatchThePlainPredictPath() throws Exception {
        // lowres: logits at 1/4 size, upsampled; labelmap: integer output; fastscnn: a knob set on the model;
        // foreign: NHWC BGR 0-255 in and out, float16 in and out (a converted input tensor per frame)
        for (String name : List.of("tiny_camvid.onnx", "tiny_lowres_logits.onnx", "tiny_labelmap.onnx",
                "tiny_fastscnn_cityscapes.onnx", "foreign_nhwc_bgr255.onnx", "foreign_fp16.onnx")) {
            try (SegmentationModel model = load(name);
                 PipelineSession session = PipelineSession.open(model, SessionTuning.pipeline().withIntraOpThreads(1));
                 FrameSource source = FrameSources.open(TestData.VTEST);
                 FramePipeline pipeline = FramePipeline.start(session, source, blocking(12))) {
                if (!model.knobs().isEmpty()) {
                    model.setKnob(model.knobs().get(0).name(), 0f);
                }
                int n = 0;
                for (FrameResult r; (r = pipeline.next()) != null; ) {
                    try (FrameResult done = r) {
                        // predict() computes scores too, so it takes the full per-class interpolation:
                        // this also checks the labels-only shortcut against it
                        byte[] plain = model.predict(r.frame()).labels().labels();
                        assertArrayEquals(plain, r.labels().labels(), name + " frame " + r.index());
                        n++;
                    }
                }
                assertEquals(12, n, name);
            }
        }
    }

    @Test
    void latestFrameWinsDropsInsteadOfQueueing() throws Exception {
        PipelineOptions options = PipelineOptions.latestFrameWins().withMaxFrames(120)
                .withTuning(SessionTuning.pipeline().withIntraOpThreads(1));
        try (SegmentationModel model = load("tiny_camvid.onnx");
             PipelineSession session = PipelineSession.open(model, options.tuning());
             FrameSource source = FrameSources.open(TestData.VTEST);
             FramePipeline pipeline = FramePipeline.start(session, source, options)) {
            List<Long> indices = new ArrayList<>();
            for (FrameResult r; (r = pipeline.next()) != null; ) {
                try (FrameResult done = r) {
                    indices.add(r.index());
                    Thread.sleep(40); // a slow display
                }
            }
            PipelineStats stats = pipeline.stats();
            assertTrue(stats.dropped() > 0, "a slow consumer makes the pipeline drop frames");
            assertEquals(indices.size(), stats.delivered());
            assertTrue(indices.size() < 120);
            for (int i = 1; i < indices.size(); i++) {
                assertTrue(indices.get(i) > indices.get(i - 1), "newer frames only, in order");
            }
            assertTrue(pipeline.queueHighWater() <= options.queueCapacity(), "queues stay bounded");
            assertTrue(pipeline.awaitTermination(10_000));
            assertTrue(pipeline.allBuffersReturned(), "dropped frames gave their buffers back");
        }
    }

    @Test
    void bigBuffersAreReusedNotAllocatedPerFrame() throws Exception {
        try (SegmentationModel model = load("tiny_camvid.onnx");
             PipelineSession session = PipelineSession.open(model, SessionTuning.pipeline().withIntraOpThreads(1));
             FrameSource source = FrameSources.open(TestData.VTEST);
             FramePipeline pipeline = FramePipeline.start(session, source, blocking(60))) {
            Set<Object> labelArrays = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<Object> overlayArrays = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<Object> inputBuffers = Collections.newSetFromMap(new IdentityHashMap<>());
            for (FrameResult r; (r = pipeline.next()) != null; ) {
                try (FrameResult done = r) {
                    labelArrays.add(r.labels().labels());
                    overlayArrays.add(r.overlay());
                    for (InputSlot s : pipeline.inputSlots()) {
                        FloatBuffer b = s.buffer();
                        if (b != null) {
                            inputBuffers.add(b);
                        }
                    }
                }
            }
            int pooled = pipeline.resultSlots().size();
            assertTrue(labelArrays.size() <= pooled, labelArrays.size() + " label arrays for 60 frames");
            assertTrue(overlayArrays.size() <= pooled, overlayArrays.size() + " overlay arrays for 60 frames");
            assertTrue(inputBuffers.size() <= pipeline.inputSlots().size(), "input tensors' buffers are reused");
            inputBuffers.forEach(b -> assertTrue(((FloatBuffer) b).isDirect(), "ONNX Runtime reads them in place"));
        }
    }

    @Test
    void cancelStopsAnEndlessSource() throws Exception {
        try (SegmentationModel model = load("tiny_camvid.onnx");
             PipelineSession session = PipelineSession.open(model, SessionTuning.pipeline().withIntraOpThreads(1));
             FrameSource source = new LoopingSource(TestData.VTEST);
             FramePipeline pipeline = FramePipeline.start(session, source, PipelineOptions.blocking()
                     .withTuning(SessionTuning.pipeline().withIntraOpThreads(1)))) {
            for (int i = 0; i < 5; i++) {
                pipeline.next().close();
            }
            pipeline.cancel();
            assertTrue(pipeline.isCancelled());
            assertNull(pipeline.next(), "nothing comes out after cancel");
            assertTrue(pipeline.awaitTermination(10_000), "every stage thread ends");
            assertTrue(pipeline.allBuffersReturned(), "frames in flight gave their buffers back");
        }
    }
}
