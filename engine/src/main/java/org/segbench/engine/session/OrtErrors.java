package org.segbench.engine.session;

/** ONNX Runtime's messages run to several lines (a C++ stack, the node's inputs); users get the first. */
final class OrtErrors {
    private OrtErrors() {
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return "unknown error";
        }
        String s = m.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
