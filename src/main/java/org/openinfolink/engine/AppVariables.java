package org.openinfolink.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.App;

/**
 * App variables: strings shared by every job of an app and kept across restarts. Start values come
 * from {@code app.yaml}; values set by {@code SetVariable} are written to
 * {@code <dataDir>/variables/<appId>.json} at once (atomically) and win over the start values.
 * Thread safe: reads see the latest value set; sets of one app are serialized.
 */
public final class AppVariables {

    private static final Logger LOG = Logger.getLogger(AppVariables.class.getName());
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final Path directory;
    private final Map<String, Map<String, String>> values = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> setValues = new ConcurrentHashMap<>();

    /** Loads the values saved under {@code directory} for the given apps. */
    public AppVariables(Path directory, Iterable<App> apps) {
        this.directory = directory;
        for (App app : apps) {
            Map<String, String> current = new ConcurrentHashMap<>(app.variables());
            Map<String, String> saved = readSaved(app.id());
            current.putAll(saved);
            values.put(app.id(), current);
            setValues.put(app.id(), new TreeMap<>(saved));
        }
    }

    /** The variable's current value, or null when the app has no such variable. */
    public String get(String appId, String name) {
        return values.getOrDefault(appId, Map.of()).get(name);
    }

    /** Sets and saves a variable. */
    public void set(String appId, String name, String value) {
        Map<String, String> saved = setValues.computeIfAbsent(appId, id -> new TreeMap<>());
        synchronized (saved) {
            saved.put(name, value);
            write(appId, saved);
            values.computeIfAbsent(appId, id -> new ConcurrentHashMap<>()).put(name, value);
        }
    }

    private Map<String, String> readSaved(String appId) {
        Path file = file(appId);
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(file.toFile(), STRING_MAP);
        } catch (IOException e) {
            LOG.warning("Saved variables of app '" + appId + "' in " + file + " cannot be read (" + e.getMessage()
                    + "); the start values of app.yaml apply.");
            return Map.of();
        }
    }

    private void write(String appId, Map<String, String> saved) {
        Path file = file(appId);
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, appId + "-", ".tmp");
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), saved);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the variables of app '" + appId + "' to " + file, e);
        }
    }

    private Path file(String appId) {
        return directory.resolve(appId + ".json");
    }
}
