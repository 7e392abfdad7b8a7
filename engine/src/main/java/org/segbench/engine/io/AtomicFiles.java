package org.segbench.engine.io;

import org.segbench.engine.SegbenchException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;

/**
 * Files put in place whole or not at all: written under a temporary name in the same folder,
 * then renamed. A run killed mid-write leaves at most a hidden {@code .NAME.partial} file, never
 * an undecodable file under the final name, and never destroys an earlier good one.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target}, creating parent folders, replacing it atomically. */
    public static void write(Path target, byte[] bytes) throws SegbenchException {
        Path temp = temporary(target);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                // on disk before the rename makes it visible, or a crash could expose an empty file
                ch.force(true);
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new SegbenchException(target, "cannot write: " + e.getMessage());
        }
        commit(temp, target);
    }

    /**
     * A temporary name beside {@code target} (same folder, so the rename is atomic), parent
     * folders created.
     */
    public static Path temporary(Path target) throws SegbenchException {
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new SegbenchException(target, "cannot create folder: " + e.getMessage());
        }
        return parent.resolve("." + target.getFileName() + ".partial");
    }

    /** Renames a finished temporary file onto {@code target}; the temporary is removed on failure. */
    public static void commit(Path temp, Path target) throws SegbenchException {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new SegbenchException(target, "cannot write: " + e.getMessage());
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary is harmless: its name is hidden and never read
        }
    }
}
