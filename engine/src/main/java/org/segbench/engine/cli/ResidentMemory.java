package org.segbench.engine.cli;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory as the operating system sees it: resident set size from
 * {@code /proc/self/status} (VmRSS), which counts what the JVM heap does not: ONNX Runtime's arena,
 * OpenCV and FFmpeg buffers, direct buffers. Only on Linux; elsewhere -1.
 */
final class ResidentMemory {
    private ResidentMemory() {
    }

    /** VmRSS in bytes, or -1 when not available. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L; // the kernel writes kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Java heap in use, bytes. */
    static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Direct (off-heap) NIO buffers in use, bytes: the pipeline's input tensors and pinned logits. */
    static long directBytes() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        return -1;
    }
}
