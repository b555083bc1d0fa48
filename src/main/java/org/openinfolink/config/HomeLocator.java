package org.openinfolink.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Finds the configuration home (CONTRACT section 4): the context parameter {@code infolink.home},
 * else the system property {@code infolink.home}, else the environment variable
 * {@code INFOLINK_HOME}; with none of them, the built-in demo.
 */
public final class HomeLocator {

    public static final String PARAMETER = "infolink.home";
    public static final String ENVIRONMENT_VARIABLE = "INFOLINK_HOME";

    /**
     * Where the home is and how it was found.
     *
     * @param path   the home folder, or null for the demo
     * @param source what named it, e.g. {@code context parameter infolink.home}
     */
    public record Location(Path path, String source) {
        public boolean isDemo() {
            return path == null;
        }
    }

    private HomeLocator() {
    }

    /**
     * @param contextParameter the context's {@code infolink.home}, or null
     * @param systemProperties reads a system property
     * @param environment      reads an environment variable
     * @throws ConfigurationException when a configured home is not an existing folder
     */
    public static Location locate(String contextParameter, UnaryOperator<String> systemProperties,
                                  UnaryOperator<String> environment) {
        Location location = pick(contextParameter, "context parameter " + PARAMETER);
        if (location == null) {
            location = pick(systemProperties.apply(PARAMETER), "system property " + PARAMETER);
        }
        if (location == null) {
            location = pick(environment.apply(ENVIRONMENT_VARIABLE), "environment variable " + ENVIRONMENT_VARIABLE);
        }
        if (location == null) {
            return new Location(null, "built-in demo (no " + PARAMETER + " configured)");
        }
        if (!Files.isDirectory(location.path())) {
            throw new ConfigurationException("The configuration home " + location.path() + " (from "
                    + location.source() + ") is not an existing folder. Create it, or remove the setting"
                    + " to run the built-in demo.");
        }
        return location;
    }

    private static Location pick(String value, String source) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return new Location(Path.of(value.trim()).toAbsolutePath().normalize(), source);
    }
}
