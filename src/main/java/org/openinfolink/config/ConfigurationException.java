package org.openinfolink.config;

import java.nio.file.Path;

/**
 * A configuration file that cannot be used. The message names the file, the setting or step and
 * the reason, and never contains a secret.
 */
public class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(Path file, String message) {
        super(file + ": " + message);
    }
}
