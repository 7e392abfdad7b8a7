package org.segbench.engine.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

import java.util.Optional;

/**
 * The one CUDA check: whether this ONNX Runtime build has the CUDA provider, and whether adding it
 * to session options works (that loads the provider library, which needs CUDA 12 and cuDNN 9).
 * Sessions add CUDA through {@link #addTo}; a UI that offers the switch asks {@link #unavailableReason()}.
 */
public final class CudaSupport {
    static final String NOT_IN_BUILD = "this ONNX Runtime build has no CUDA provider"
            + " (CPU artifact; build with -Pgpu, needs CUDA 12 + cuDNN 9)";

    private CudaSupport() {
    }

    /** Why CUDA cannot be used here, or empty when it can. Checked once per process. */
    public static Optional<String> unavailableReason() {
        return Once.REASON;
    }

    /** Adds the CUDA provider (device 0) to {@code options}; empty when added, else why not. */
    static Optional<String> addTo(OrtSession.SessionOptions options) {
        try {
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                return Optional.of(NOT_IN_BUILD);
            }
            options.addCUDA(0);
            return Optional.empty();
        } catch (OrtException | RuntimeException | LinkageError e) {
            // a missing CUDA or cuDNN library surfaces as an OrtException or an UnsatisfiedLinkError
            return Optional.of(OrtErrors.firstLine(e));
        }
    }

    private static final class Once {
        static final Optional<String> REASON = check();

        private static Optional<String> check() {
            try (OrtSession.SessionOptions scratch = new OrtSession.SessionOptions()) {
                return addTo(scratch);
            }
        }
    }
}
