package org.segbench.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.segbench.engine.SegbenchException;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * Files named by Hadoop paths ({@code file://}, {@code hdfs://}, {@code s3a://}, or no scheme:
 * the default file system), read where the engine needs a local {@link java.nio.file.Path}: a
 * local file as it is, anything else copied to a temporary file first. Serializable so that
 * executors see the driver's Hadoop settings (credentials given as {@code spark.hadoop.*}).
 */
final class HadoopFiles implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient Configuration conf;

    HadoopFiles(Configuration conf) {
        this.conf = conf;
    }

    Configuration conf() {
        return conf;
    }

    /** The path made absolute on its file system ({@code file:/...} when local). */
    Path qualify(String path) throws SegbenchException {
        Path p = new Path(path);
        try {
            return p.getFileSystem(conf).makeQualified(p);
        } catch (IOException e) {
            throw new SegbenchException(java.nio.file.Path.of(path), "no file system for it: " + e.getMessage());
        }
    }

    /** Whether a qualified path is on the local disk, where the engine reads it directly. */
    static boolean isLocal(Path qualified) {
        return "file".equals(qualified.toUri().getScheme());
    }

    /** The local file system path of a {@code file:} path. */
    static java.nio.file.Path local(Path qualified) {
        return java.nio.file.Path.of(qualified.toUri().getPath());
    }

    FileSystem fileSystem(Path p) throws IOException {
        return p.getFileSystem(conf);
    }

    /** All bytes of a file. */
    byte[] readAll(String path) throws SegbenchException {
        Path p = qualify(path);
        try (InputStream in = fileSystem(p).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SegbenchException(java.nio.file.Path.of(path), "cannot read: " + e.getMessage());
        }
    }

    /** Whether the file exists (false when the file system cannot be reached). */
    boolean exists(String path) {
        try {
            Path p = qualify(path);
            return fileSystem(p).exists(p);
        } catch (SegbenchException | IOException e) {
            return false;
        }
    }

    /**
     * A local copy of the file, or the file itself when local. The caller deletes a copy with
     * {@link LocalCopy#close()}; a missing remote file gives a path that does not exist, so the
     * engine reports it as it would a missing local one.
     */
    LocalCopy localCopy(String path) throws SegbenchException {
        Path p = qualify(path);
        if (isLocal(p)) {
            return new LocalCopy(local(p), false);
        }
        String name = p.getName();
        try (InputStream in = fileSystem(p).open(p)) {
            java.nio.file.Path dir = Files.createTempDirectory("segbench-input");
            java.nio.file.Path file = dir.resolve(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return new LocalCopy(file, true);
        } catch (java.io.FileNotFoundException e) {
            return new LocalCopy(java.nio.file.Path.of(p.toUri().getPath()), false);
        } catch (IOException e) {
            throw new SegbenchException(java.nio.file.Path.of(path), "cannot copy from " + p + ": " + e.getMessage());
        }
    }

    /** A local file standing for a Hadoop path; a temporary copy is deleted on close. */
    record LocalCopy(java.nio.file.Path path, boolean temporary) implements AutoCloseable {
        @Override
        public void close() {
            if (temporary) {
                try {
                    Files.deleteIfExists(path);
                    Files.deleteIfExists(path.getParent());
                } catch (IOException ignored) {
                    // a temporary file left behind costs disk space only
                }
            }
        }
    }

    // Configuration is Writable, not Serializable: ship it the Hadoop way.
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
