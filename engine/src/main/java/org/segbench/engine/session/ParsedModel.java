package org.segbench.engine.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.onnx.OnnxModelFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model file, read and parsed once: every session on it (the model's own, the pipeline's) is
 * created from this, never by reading the file again.
 */
public final class ParsedModel {
    private final Path path;
    private final OnnxModelFile file;

    private ParsedModel(Path path, OnnxModelFile file) {
        this.path = path;
        this.file = file;
    }

    /**
     * Reads and parses a model file.
     *
     * @throws SegbenchException naming the file: missing, or not an ONNX model
     */
    public static ParsedModel read(Path path) throws SegbenchException {
        if (!Files.isRegularFile(path)) {
            throw new SegbenchException(path, "no such model file");
        }
        try {
            return new ParsedModel(path, OnnxModelFile.parse(Files.readAllBytes(path)));
        } catch (IOException e) {
            throw new SegbenchException(path, "not an ONNX model (" + e.getMessage() + ")");
        }
    }

    public Path path() {
        return path;
    }

    public OnnxModelFile file() {
        return file;
    }

    /** Whether sessions get the weights with subnormal values flushed to zero (see {@link #createSession}). */
    public boolean flushesSubnormals() {
        return file.subnormalWeights() > 0 && !file.hasExternalData();
    }

    /**
     * A new session. Knob initializers are stripped first, because the Java API only feeds inputs
     * ONNX Runtime lists, and it does not list inputs that have an initializer (see
     * {@link OnnxModelFile}). Subnormal weights are flushed to zero, because the CPU computes with
     * them many times slower and ONNX Runtime does not flush them on the calling thread. A model
     * needing neither is opened by path, so that weights stored as external data beside it are found
     * (and such a model keeps its subnormals).
     */
    OrtSession createSession(OrtEnvironment env, OrtSession.SessionOptions options) throws SegbenchException {
        try {
            boolean flush = flushesSubnormals();
            if (file.knobDefaults().isEmpty() && !flush) {
                return env.createSession(path.toString(), options);
            }
            byte[] bytes = file.withoutInitializers(file.knobDefaults().keySet());
            if (flush) {
                bytes = OnnxModelFile.withSubnormalsFlushed(bytes);
            }
            return env.createSession(bytes, options);
        } catch (IOException e) {
            throw new SegbenchException(path, "not an ONNX model (" + e.getMessage() + ")");
        } catch (OrtException e) {
            throw new SegbenchException(path, "ONNX Runtime cannot load it: " + OrtErrors.firstLine(e), e);
        }
    }
}
