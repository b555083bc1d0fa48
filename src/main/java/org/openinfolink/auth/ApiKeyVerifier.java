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
 * Tells which client, if any, an API key or a pair of client credentials belongs to (CONTRACT
 * sections 3 and 12.1). Immutable and thread safe. Keys and secrets are compared by their SHA-256
 * in constant time, against every client, so neither the time taken nor an early exit tells an
 * attacker anything. With no clients every key and every secret is refused.
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
            if (client.keySha256() != null && MessageDigest.isEqual(hash, client.keySha256()) && match == null) {
                match = client;
            }
        }
        return Optional.ofNullable(match);
    }

    /**
     * The client with this {@code client_id} and {@code client_secret}, or empty. The secret's hash
     * is compared with every client's, whether its id matches or not.
     */
    public Optional<Client> verifyCredentials(String clientId, String clientSecret) {
        if (clientId == null || clientSecret == null || clientSecret.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = ApiKeys.sha256(clientSecret);
        Client match = null;
        for (Client client : clients) {
            boolean secretMatches = client.secretSha256() != null && MessageDigest.isEqual(hash, client.secretSha256());
            if (secretMatches && clientId.equals(client.clientId()) && match == null) {
                match = client;
            }
        }
        return Optional.ofNullable(match);
    }

    /** The client of this name, e.g. the holder of a token; empty when it is no longer configured. */
    public Optional<Client> byName(String name) {
        return clients.stream().filter(client -> client.name().equals(name)).findFirst();
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
        Set<String> clientIds = new HashSet<>();
        int index = 0;
        for (JsonNode entry : entries) {
            index++;
            String where = "clients[" + index + "]";
            if (!entry.isObject()) {
                throw reader.fail(where, "must be a mapping with name, apiKeySha256 and/or clientId and"
                        + " clientSecretSha256, and apps");
            }
            String name = reader.text(entry, where, "name");
            if (name == null || name.isBlank()) {
                throw reader.fail(where + ".name", "is required");
            }
            String client = "client '" + name + "'";
            reader.checkKeys(entry, client, Set.of("name", "apiKeySha256", "clientId", "clientSecretSha256", "apps",
                    "operations"));
            if (!names.add(name)) {
                throw reader.fail(client, "is listed twice");
            }
            String hex = reader.text(entry, client, "apiKeySha256");
            if (hex != null && !hex.matches("[0-9a-fA-F]{64}")) {
                throw reader.fail(client + ".apiKeySha256", "must be the 64 hex digits of the key's SHA-256");
            }
            if (hex != null && !hashes.add(hex.toLowerCase())) {
                throw reader.fail(client + ".apiKeySha256", "is the same key as another client's");
            }
            String clientId = reader.text(entry, client, "clientId");
            String secretHex = reader.text(entry, client, "clientSecretSha256");
            if (clientId != null && !clientId.matches(ApiKeys.CLIENT_ID_PATTERN)) {
                throw reader.fail(client + ".clientId", "must be 1-64 characters of A-Z a-z 0-9 . _ -");
            }
            if ((clientId == null) != (secretHex == null)) {
                throw reader.fail(client, "needs both clientId and clientSecretSha256, or neither");
            }
            if (secretHex != null && !secretHex.matches("[0-9a-fA-F]{64}")) {
                throw reader.fail(client + ".clientSecretSha256",
                        "must be the 64 hex digits of the client secret's SHA-256");
            }
            if (clientId != null && !clientIds.add(clientId)) {
                throw reader.fail(client + ".clientId", "is the same as another client's");
            }
            if (hex == null && clientId == null) {
                throw reader.fail(client, "needs apiKeySha256, or clientId and clientSecretSha256, or both");
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
            clients.add(new Client(name, hex == null ? null : HexFormat.of().parseHex(hex.toLowerCase()), clientId,
                    secretHex == null ? null : HexFormat.of().parseHex(secretHex.toLowerCase()),
                    Set.copyOf(new LinkedHashSet<>(apps)), allApps, Set.copyOf(operations)));
        }
        if (clients.isEmpty()) {
            LOG.warning(file + " lists no clients: every call is refused.");
        }
        return new ApiKeyVerifier(clients);
    }
}
