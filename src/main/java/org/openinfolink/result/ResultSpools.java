package org.openinfolink.result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Makes the {@link Spool}s of result sets in one folder, owned by this server. Files left by an
 * earlier run are removed when the folder is opened. Thread safe.
 */
public final class ResultSpools {

    /** Bytes of a result kept in memory before it goes to a file. */
    public static final int DEFAULT_MEMORY_THRESHOLD = 256 * 1024;

    private final Path directory;
    private final int memoryThreshold;

    public ResultSpools(Path directory, int memoryThreshold) {
        this.directory = directory;
        this.memoryThreshold = memoryThreshold;
    }

    /** Opens the folder, creating it, and removes spool files left by an earlier run. */
    public static ResultSpools open(Path directory) {
        try {
            Files.createDirectories(directory);
            try (Stream<Path> leftovers = Files.list(directory)) {
                for (Path file : leftovers.filter(f -> f.getFileName().toString().startsWith("result-")).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the result spool folder " + directory, e);
        }
        return new ResultSpools(directory, DEFAULT_MEMORY_THRESHOLD);
    }

    public Spool newSpool() {
        return new Spool(directory, memoryThreshold);
    }
}
