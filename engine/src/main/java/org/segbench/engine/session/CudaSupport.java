package org.segbench.engine.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

import java.util.Optional;

/**
 * The one CUDA check: whether this ONNX Runtime build has the CUDA provider, and whether adding it
 * to session options works (that loads the provider library, which needs CUDA 12 and cuDNN 9).
 * When it does not, the reason names the missing library ({@link MissingLibrary}) and the versions
 * needed, since "Failed to load shared library" alone tells a user nothing to install.
 * Sessions add CUDA through {@link #addTo}; a UI that offers the switch asks {@link #unavailableReason()}.
 */
public final class CudaSupport {
    /** What the GPU build of the ONNX Runtime version in the pom is built against. */
    static final String NEEDS = "ONNX Runtime 1.29 GPU needs CUDA 12.x and cuDNN 9";
    static final String NOT_IN_BUILD = "this ONNX Runtime build has no CUDA provider"
            + " (CPU artifact; build with -Pgpu; " + NEEDS + ")";

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
            return Optional.of(loadFailure(e));
        }
    }

    /** The reason for a failed load: the missing library when it can be found out, and what is needed. */
    static String loadFailure(Throwable e) {
        Optional<String> missing = MissingLibrary.named(e).or(MissingLibrary::fromProviderLibrary);
        return missing.map(lib -> "missing " + lib + ": " + NEEDS + " on the library path (ONNX Runtime: "
                + OrtErrors.firstLine(e) + ")").orElse(OrtErrors.firstLine(e) + "; " + NEEDS);
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
