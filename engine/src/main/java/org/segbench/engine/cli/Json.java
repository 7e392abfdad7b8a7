package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.segbench.engine.SegbenchException;

import org.segbench.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/** JSON output of the commands: pretty-printed, NaN written as null (JSON has no NaN). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Puts a number, or null when it is NaN or infinite. */
    static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    /** Writes pretty JSON, whole or not at all (see {@link AtomicFiles}). */
    static void write(Path file, Object value) throws SegbenchException {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SegbenchException(file, "cannot write JSON: " + e.getMessage());
        }
        AtomicFiles.write(file, bytes);
    }
}
