package org.segbench.engine.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which shared library stops the CUDA provider from loading. ONNX Runtime's Java exception often
 * says only "Failed to load shared library"; its native message, when it reaches the exception,
 * names the culprit ("libcublasLt.so.12: cannot open shared object file"). When it does not, the
 * provider library is taken out of the ONNX Runtime jar and {@code ldd} lists what it cannot find:
 * a check that loads nothing into this process.
 */
final class MissingLibrary {
    private static final Pattern LIBRARY = Pattern.compile("lib[A-Za-z0-9_+.-]*?\\.so(?:\\.[0-9]+)*");
    private static final String PROVIDER = "libonnxruntime_providers_cuda.so";

    private MissingLibrary() {
    }

    /** The first library named in the messages of {@code e} and its causes that is not ONNX Runtime's own. */
    static Optional<String> named(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Optional<String> found = inText(t.getMessage());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The first {@code lib*.so*} in {@code text} that is not ONNX Runtime's own. */
    static Optional<String> inText(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = LIBRARY.matcher(text);
        while (m.find()) {
            if (!m.group().startsWith("libonnxruntime")) {
                return Optional.of(m.group());
            }
        }
        return Optional.empty();
    }

    /**
     * The first dependency of the jar's CUDA provider library that {@code ldd} reports "not found";
     * empty when the jar has no provider (the CPU build), {@code ldd} is missing, or all are found.
     */
    static Optional<String> fromProviderLibrary() {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "linux-aarch64" : "linux-x64";
        try (InputStream in = MissingLibrary.class.getResourceAsStream("/ai/onnxruntime/native/" + arch + "/" + PROVIDER)) {
            if (in == null || !System.getProperty("os.name").toLowerCase().contains("linux")) {
                return Optional.empty();
            }
            Path dir = Files.createTempDirectory("segbench-cuda-check");
            Path lib = dir.resolve(PROVIDER);
            try {
                Files.copy(in, lib);
                return notFound(lib);
            } finally {
                Files.deleteIfExists(lib);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<String> notFound(Path lib) throws IOException, InterruptedException {
        Process ldd = new ProcessBuilder("ldd", lib.toString()).redirectErrorStream(true).start();
        String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ldd.waitFor(10, TimeUnit.SECONDS)) {
            ldd.destroy();
            return Optional.empty();
        }
        // ONNX Runtime's own shared provider library is loaded beside it by ONNX Runtime: not a real gap
        return out.lines().filter(l -> l.contains("=> not found")).map(String::strip)
                .map(l -> l.substring(0, l.indexOf(' ')))
                .filter(name -> !name.startsWith("libonnxruntime")).findFirst();
    }
}
