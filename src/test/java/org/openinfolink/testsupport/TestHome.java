package org.openinfolink.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.openinfolink.auth.ApiKeys;

/**
 * A configuration home written for a test under {@code target/test-homes/}: settings, clients with
 * freshly made keys, apps and scenarios, as a user would write them.
 */
public final class TestHome {

    private final Path path;
    private final StringBuilder clients = new StringBuilder("clients:\n");

    private TestHome(Path path) {
        this.path = path;
    }

    public static TestHome create(String name) {
        Path path = Path.of("target", "test-homes", name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestHome home = new TestHome(path);
        home.write("clients.yaml", "clients: []\n");
        return home;
    }

    public Path path() {
        return path;
    }

    /** Writes {@code infolink.yaml}. */
    public TestHome settings(String yaml) {
        return write("infolink.yaml", yaml);
    }

    /**
     * Adds a client with a new key.
     *
     * @param operations the granted operations, e.g. {@code "[RunScenario, Transform]"}, or null for the default
     * @return the client's key
     */
    public String client(String name, List<String> apps, String operations) {
        String key = ApiKeys.newKey();
        String entry = ApiKeys.clientEntry(name, ApiKeys.sha256Hex(key), apps);
        if (operations != null) {
            entry = entry.replace("operations: [RunScenario]", "operations: " + operations);
        }
        clients.append(entry);
        write("clients.yaml", clients.toString());
        return key;
    }

    /**
     * Adds a client with client credentials only (OAuth2): its {@code clientId} is its name.
     *
     * @return the client's new secret
     */
    public String credentialsClient(String name, List<String> apps) {
        String secret = ApiKeys.newClientSecret();
        clients.append(ApiKeys.clientEntry(name, null, name, ApiKeys.sha256Hex(secret), apps));
        write("clients.yaml", clients.toString());
        return secret;
    }

    public TestHome app(String appId, String appYaml) {
        return write("apps/" + appId + "/app.yaml", appYaml);
    }

    public TestHome scenario(String appId, String name, String yaml) {
        return write("apps/" + appId + "/scenarios/" + name + ".yaml", yaml);
    }

    public TestHome write(String relativePath, String content) {
        Path file = path.resolve(relativePath);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
