package org.openinfolink.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.openinfolink.auth.ApiKeys;

/**
 * The built-in demo (CONTRACT section 8): a home packaged with the server, written to the
 * container's work folder at each start, whose app {@code 7} runs the original's documented example
 * on the embedded database.
 *
 * <p>Its one client holds {@link #DEMO_API_KEY}, a published key: the demo is for trying the API,
 * and the server logs a warning naming the key while it runs on the demo.
 */
public final class DemoHome {

    /** The demo's API key. Public by design; never used outside the demo home. */
    public static final String DEMO_API_KEY = "demo-2f9c4e1a7b3d5c8e0f6a2b4d9e1c3f5a";

    /**
     * The demo client's {@code client_secret} for the token endpoint (its {@code client_id} is
     * {@code demo}). Public by design, like the key.
     */
    public static final String DEMO_CLIENT_SECRET = "demo-secret-7c1e9a3f5b2d8e4a6c0f1b3d5e7a9c2e";

    /** The packaged demo files, relative to the home; read from the class path. */
    private static final List<String> FILES = List.of(
            "apps/7/app.yaml",
            "apps/7/scenarios/Main.yaml",
            "apps/7/scenarios/Setup.yaml",
            "apps/7/scenarios/Countries.yaml");

    private static final String RESOURCE_ROOT = "/org/openinfolink/demo/";

    private DemoHome() {
    }

    /**
     * Writes the demo home into {@code directory}, replacing an earlier copy, with a
     * {@code clients.yaml} that holds the demo key's hash.
     *
     * @return the home folder
     */
    public static Path install(Path directory) {
        try {
            Files.createDirectories(directory);
            for (String file : FILES) {
                Path target = directory.resolve(file);
                Files.createDirectories(target.getParent());
                try (InputStream in = DemoHome.class.getResourceAsStream(RESOURCE_ROOT + file)) {
                    if (in == null) {
                        throw new IllegalStateException("The demo file " + file + " is missing from the WAR");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            String clients = "# The built-in demo's client. Its key is published: never use it outside the demo.\n"
                    + "clients:\n" + ApiKeys.clientEntry("demo", ApiKeys.sha256Hex(DEMO_API_KEY), "demo",
                            ApiKeys.sha256Hex(DEMO_CLIENT_SECRET), List.of("7"));
            Files.writeString(directory.resolve("clients.yaml"), clients, StandardCharsets.UTF_8);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the demo home to " + directory, e);
        }
    }
}
