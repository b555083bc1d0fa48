package org.openinfolink.result;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bytes written once and read any number of times: kept in memory up to a threshold, then in a
 * file of the spool folder. This is how result rows go from the JDBC cursor to the responses
 * without a whole result ever being held in the heap.
 *
 * <p>One thread writes ({@link #output()}, then closes it); afterwards any thread may
 * {@link #open()} it. {@link #delete()} removes the file; readers already open keep reading on
 * POSIX file systems. Memory held: at most {@code memoryThreshold} bytes plus one write buffer.
 */
public final class Spool {

    private static final int FILE_BUFFER_BYTES = 64 * 1024;

    private final Path directory;
    private final int memoryThreshold;
    private byte[] memory = new byte[1024];
    private int memoryLength;
    private Path file;
    private long length;
    private boolean writing;
    private volatile boolean complete;
    private volatile boolean deleted;

    /**
     * @param directory       where a spill file is created, if needed
     * @param memoryThreshold the most bytes kept in memory before spilling to a file
     */
    public Spool(Path directory, int memoryThreshold) {
        this.directory = directory;
        this.memoryThreshold = memoryThreshold;
    }

    /** The stream to write the content to; may be called once. Closing it completes the spool. */
    public OutputStream output() {
        if (writing || complete) {
            throw new IllegalStateException("A spool is written once");
        }
        writing = true;
        return new SpoolOutput();
    }

    /** The bytes written, once complete. */
    public long length() {
        return length;
    }

    /**
     * A new stream over the whole content; the caller closes it.
     *
     * @throws IllegalStateException if the spool is not complete or was deleted
     */
    public InputStream open() throws IOException {
        if (!complete) {
            throw new IllegalStateException("The spool is still being written");
        }
        if (deleted) {
            throw new IllegalStateException("The spool was deleted");
        }
        if (file == null) {
            return new ByteArrayInputStream(memory, 0, memoryLength);
        }
        return Files.newInputStream(file);
    }

    /** Frees the memory and removes the file. Idempotent. */
    public synchronized void delete() {
        deleted = true;
        memory = new byte[0];
        memoryLength = 0;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete spool file " + file, e);
            }
        }
    }

    private final class SpoolOutput extends OutputStream {
        private OutputStream fileOut;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (closed) {
                throw new IOException("Spool output is closed");
            }
            if (fileOut == null && memoryLength + count > memoryThreshold) {
                spill();
            }
            if (fileOut != null) {
                fileOut.write(bytes, offset, count);
            } else {
                if (memoryLength + count > memory.length) {
                    memory = Arrays.copyOf(memory, Math.min(memoryThreshold,
                            Math.max(memory.length * 2, memoryLength + count)));
                }
                System.arraycopy(bytes, offset, memory, memoryLength, count);
                memoryLength += count;
            }
            length += count;
        }

        private void spill() throws IOException {
            Files.createDirectories(directory);
            file = Files.createTempFile(directory, "result-", ".json");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), FILE_BUFFER_BYTES);
            fileOut.write(memory, 0, memoryLength);
            memory = new byte[0];
            memoryLength = 0;
        }

        @Override
        public void flush() throws IOException {
            if (fileOut != null) {
                fileOut.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (fileOut != null) {
                fileOut.close();
            }
            complete = true;
        }
    }
}
