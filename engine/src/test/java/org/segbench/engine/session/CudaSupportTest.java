package org.segbench.engine.session;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The CUDA failure names the library to install and the versions ONNX Runtime 1.29's GPU build needs. */
class CudaSupportTest {
    private static final String ORT_MESSAGE = "Error code - ORT_FAIL - message: provider_bridge_ort.cc:1778"
            + " Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open"
            + " shared object file: No such file or directory\n  (stack trace follows)";

    @Test
    void theFirstLibraryThatIsNotOnnxRuntimesOwnIsNamed() {
        assertEquals(Optional.of("libcublasLt.so.12"), MissingLibrary.inText(ORT_MESSAGE));
        assertEquals(Optional.of("libcudnn.so.9"), MissingLibrary.named(new RuntimeException("Failed to load shared library",
                new UnsatisfiedLinkError("libcudnn.so.9: cannot open shared object file"))));
        assertEquals(Optional.empty(), MissingLibrary.inText("Failed to load library libonnxruntime_providers_cuda.so"));
        assertEquals(Optional.empty(), MissingLibrary.inText(null));
    }

    @Test
    void theReasonSaysWhatIsMissingAndWhatIsNeeded() {
        String reason = CudaSupport.loadFailure(new RuntimeException(ORT_MESSAGE));
        assertTrue(reason.startsWith("missing libcublasLt.so.12: ONNX Runtime 1.29 GPU needs CUDA 12.x and cuDNN 9"),
                reason);
        assertFalse(reason.contains("\n"), "one line: " + reason);
        // nothing named, and (in the CPU build the tests run with) no provider library to ask
        String bare = CudaSupport.loadFailure(new RuntimeException("Failed to load shared library"));
        assertTrue(bare.contains("Failed to load shared library") && bare.contains("CUDA 12.x and cuDNN 9"), bare);
    }

    @Test
    void thisMachinesReasonNamesTheVersionsToo() {
        // the CPU artifact has no CUDA provider; a GPU build on a machine without CUDA names the library
        CudaSupport.unavailableReason().ifPresent(r -> assertTrue(r.contains("cuDNN 9"), r));
    }
}
