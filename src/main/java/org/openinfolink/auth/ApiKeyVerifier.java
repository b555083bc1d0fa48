package org.openinfolink.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.openinfolink.config.ConfigReader;
import org.openinfolink.config.ConfigurationException;
import org.openinfolink.scenario.OperationType;

/**
 * Tells which client, if any, an API key belongs to (CONTRACT section 3). Immutable and thread
 * safe. Keys are compared by their SHA-256 in constant time, against every client, so neither the
 * time taken nor an early exit tells an attacker anything. With no clients every key is refused.
 */
public final class ApiKeyVerifier {

    public static final String FILE_NAME = "clients.yaml";

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class.getName());

    private final List<Client> clients;

    public ApiKeyVerifier(List<Client> clients) {
        this.clients = List.copyOf(clients);
    }

    public List<Client> clients() {
        return clients;
    }

    /** The client whose key this is, or empty. A null or empty key matches no client. */
    public Optional<Client> verify(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = ApiKeys.sha256(apiKey);
        Client match = null;
        for (Client client : clients) {
            if (MessageDigest.isEqual(hash, client.keySha256()) && match == null) {
                match = client;
            }
        }
        return Optional.ofNullable(match);
    }

    /**
     * Reads {@code clients.yaml} of a home. A missing file means no clients: every call is refused
     * and a warning says so.
     *
     * @throws ConfigurationException naming the file and the client when an entry is wrong
     */
    public static ApiKeyVerifier load(Path home) {
        Path file = home.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            LOG.warning(file + " does not exist: no API client is configured and every call is refused.");
            return new ApiKeyVerifier(List.of());
        }
        ConfigReader reader = new ConfigReader(file);
        JsonNode root = reader.readMapping();
        reader.checkKeys(root, "", Set.of("clients"));
        JsonNode entries = root.path("clients");
        if (ConfigReader.isAbsent(entries)) {
            LOG.warning(file + " lists no clients: every call is refused.");
            return new ApiKeyVerifier(List.of());
        }
        if (!entries.isArray()) {
            throw reader.fail("clients", "must be a list of clients");
        }
        List<Client> clients = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        int index = 0;
        for (JsonNode entry : entries) {
            index++;
            String where = "clients[" + index + "]";
            if (!entry.isObject()) {
                throw reader.fail(where, "must be a mapping with name, apiKeySha256 and apps");
            }
            String name = reader.text(entry, where, "name");
            if (name == null || name.isBlank()) {
                throw reader.fail(where + ".name", "is required");
            }
            String client = "client '" + name + "'";
            reader.checkKeys(entry, client, Set.of("name", "apiKeySha256", "apps", "operations"));
            if (!names.add(name)) {
                throw reader.fail(client, "is listed twice");
            }
            String hex = reader.text(entry, client, "apiKeySha256");
            if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
                throw reader.fail(client + ".apiKeySha256", "must be the 64 hex digits of the key's SHA-256");
            }
            if (!hashes.add(hex.toLowerCase())) {
                throw reader.fail(client + ".apiKeySha256", "is the same key as another client's");
            }
            List<String> apps = reader.textList(entry, client, "apps");
            if (apps == null || apps.isEmpty()) {
                throw reader.fail(client + ".apps", "is required: the app ids the client may use, or \"*\"");
            }
            Set<OperationType> operations = EnumSet.noneOf(OperationType.class);
            List<String> opNames = reader.textList(entry, client, "operations");
            for (String opName : opNames == null ? List.of(OperationType.RUN_SCENARIO.opName()) : opNames) {
                operations.add(OperationType.byName(opName).orElseThrow(() -> reader.fail(
                        client + ".operations", "unknown operation '" + opName + "'; known: "
                                + OperationType.allNames())));
            }
            boolean allApps = apps.contains("*");
            clients.add(new Client(name, HexFormat.of().parseHex(hex.toLowerCase()),
                    Set.copyOf(new LinkedHashSet<>(apps)), allApps, Set.copyOf(operations)));
        }
        if (clients.isEmpty()) {
            LOG.warning(file + " lists no clients: every call is refused.");
        }
        return new ApiKeyVerifier(clients);
    }
}
