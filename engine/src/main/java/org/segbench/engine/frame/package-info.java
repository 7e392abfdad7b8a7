/**
 * The single-frame stages, free of ONNX Runtime: a BGR frame to the network's input
 * ({@link org.segbench.engine.frame.Preprocessor}), and the network's output back to a label map at
 * the frame's size ({@link org.segbench.engine.frame.LogitsDecoder} for class scores,
 * {@link org.segbench.engine.frame.LabelMapDecoder} for integer label maps), with
 * {@link org.segbench.engine.frame.TensorLayout} saying where the channels are. Both
 * {@code SegmentationModel.predict} and the threaded pipeline call these; which decoder runs is
 * decided in one place, {@code session.NetworkOutput}. Colouring is {@code render.Colorizer}.
 */
package org.segbench.engine.frame;
