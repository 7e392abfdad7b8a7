/**
 * Opening, feeding and reading an ONNX Runtime session, once for the whole engine:
 *
 * <ul>
 *   <li>{@link org.segbench.engine.session.ParsedModel}: the file, read and parsed once;</li>
 *   <li>{@link org.segbench.engine.session.ModelSession}: a session with its options
 *       ({@link org.segbench.engine.session.SessionTuning}), its provider and why
 *       ({@link org.segbench.engine.session.CudaSupport}), its image and knob inputs;</li>
 *   <li>{@link org.segbench.engine.session.InputFeeder}: the image tensor and the knob tensors
 *       ({@link org.segbench.engine.session.KnobValues}) of a run;</li>
 *   <li>{@link org.segbench.engine.session.OutputDecoder}: which output, logits or label map, the
 *       class count, and the shape learnt per input size so later runs write into a pinned buffer;</li>
 *   <li>{@link org.segbench.engine.session.NetworkOutput}: one run's output, and its decoding to a
 *       label map at the frame's size;</li>
 *   <li>{@link org.segbench.engine.session.SessionRunner}: the three together.</li>
 * </ul>
 *
 * {@code SegmentationModel} runs one runner; the threaded pipeline opens a second on the same
 * parsed file with its own tuning.
 */
package org.segbench.engine.session;
