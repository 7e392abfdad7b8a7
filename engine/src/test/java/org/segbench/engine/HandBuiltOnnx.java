package org.segbench.engine;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes minimal ONNX files of Identity nodes straight in protobuf (field numbers from
 * {@code onnx.proto}), for the shapes the zoo's fixtures do not cover, e.g. a model with no image
 * input. ONNX Runtime loads them like any other model.
 */
final class HandBuiltOnnx {
    private static final int FLOAT = 1;

    private HandBuiltOnnx() {
    }

    /** A tensor declaration: name and dims (-1 = dynamic). */
    record Port(String name, long... dims) {
    }

    /** One Identity node per input -> output pair; writes the model to {@code file}. */
    static Path identity(Path file, Port[] inputs, Port[] outputs) {
        try {
            byte[] graph = message(out -> {
                for (int i = 0; i < outputs.length; i++) {
                    String in = inputs[Math.min(i, inputs.length - 1)].name();
                    String o = outputs[i].name();
                    out.writeByteArray(1, message(node -> {
                        node.writeString(1, in);
                        node.writeString(2, o);
                        node.writeString(4, "Identity");
                    }));
                }
                out.writeString(2, "hand_built");
                for (Port p : inputs) {
                    out.writeByteArray(11, valueInfo(p));
                }
                for (Port p : outputs) {
                    out.writeByteArray(12, valueInfo(p));
                }
            });
            byte[] model = message(out -> {
                out.writeInt64(1, 8); // ir_version
                out.writeString(2, "segbench-test");
                out.writeByteArray(7, graph);
                out.writeByteArray(8, message(opset -> {
                    opset.writeString(1, "");
                    opset.writeInt64(2, 17);
                }));
            });
            Files.write(file, model);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] valueInfo(Port p) throws IOException {
        byte[] shape = message(s -> {
            for (long d : p.dims()) {
                s.writeByteArray(1, message(dim -> {
                    if (d >= 0) {
                        dim.writeInt64(1, d);
                    } else {
                        dim.writeString(2, "d" + Math.abs(d));
                    }
                }));
            }
        });
        byte[] tensorType = message(t -> {
            t.writeInt32(1, FLOAT);
            t.writeByteArray(2, shape);
        });
        return message(v -> {
            v.writeString(1, p.name());
            v.writeByteArray(2, message(type -> type.writeByteArray(1, tensorType)));
        });
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        body.write(out);
        out.flush();
        return buf.toByteArray();
    }
}
