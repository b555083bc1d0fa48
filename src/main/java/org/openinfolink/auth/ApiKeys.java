package org.openinfolink.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * API keys, client secrets and tokens: how they are made and hashed, and the command that makes
 * a new key or a new pair of client credentials.
 *
 * <p>A key is {@code il_} followed by 256 random bits in URL-safe Base64; a client secret is the
 * same with {@code ilc_}. The server stores only the SHA-256 of their UTF-8 bytes, in lower-case
 * hex, and compares hashes in constant time.
 *
 * <p>This file uses nothing but the JDK so that it runs as a single-file program, without a build:
 * <pre>java src/main/java/org/openinfolink/auth/ApiKeys.java crm-sync 7
 * java src/main/java/org/openinfolink/auth/ApiKeys.java --client-credentials crm-sync 7</pre>
 * prints a new key (or client secret) once and the {@code clients.yaml} entry to paste.
 */
public final class ApiKeys {

    /** What a {@code clientId} (and a client name the tool accepts) is made of. */
    public static final String CLIENT_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";

    private static final String PREFIX = "il_";
    private static final String SECRET_PREFIX = "ilc_";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A new random key of 256 bits. */
    public static String newKey() {
        return newSecret(PREFIX);
    }

    /** A new random client secret of 256 bits. */
    public static String newClientSecret() {
        return newSecret(SECRET_PREFIX);
    }

    /** {@code prefix} followed by 256 random bits from {@link SecureRandom}, URL-safe Base64. */
    public static String newSecret(String prefix) {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The SHA-256 of the key as 64 lower-case hex digits, as written in {@code clients.yaml}. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** The {@code clients.yaml} entry for a client with this key hash. */
    public static String clientEntry(String name, String sha256Hex, List<String> apps) {
        return clientEntry(name, sha256Hex, null, null, apps);
    }

    /**
     * The {@code clients.yaml} entry for a client with an API key hash, client credentials, or
     * both; a null part is left out.
     */
    public static String clientEntry(String name, String keySha256Hex, String clientId, String secretSha256Hex,
                                     List<String> apps) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("  - name: ").append(name).append('\n');
        if (keySha256Hex != null) {
            yaml.append("    apiKeySha256: ").append(keySha256Hex).append('\n');
        }
        if (clientId != null) {
            yaml.append("    clientId: ").append(clientId).append('\n');
            yaml.append("    clientSecretSha256: ").append(secretSha256Hex).append('\n');
        }
        yaml.append("    apps: [");
        for (int i = 0; i < apps.size(); i++) {
            yaml.append(i == 0 ? "" : ", ").append('"').append(apps.get(i)).append('"');
        }
        yaml.append("]\n");
        yaml.append("    operations: [RunScenario]\n");
        return yaml.toString();
    }

    /**
     * Makes new credentials: {@code ApiKeys [--api-key | --client-credentials | --both]
     * <client-name> <appId>...} ({@code *} for every app; {@code --api-key} is the default). Prints
     * the key and/or the client secret once, and the lines for {@code clients.yaml}, which hold only
     * their hashes; the client's {@code clientId} is its name. Nothing is stored anywhere.
     */
    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean key = true;
        boolean credentials = false;
        if (!rest.isEmpty() && rest.get(0).startsWith("--")) {
            switch (rest.remove(0)) {
                case "--api-key" -> { }
                case "--client-credentials" -> {
                    key = false;
                    credentials = true;
                }
                case "--both" -> credentials = true;
                default -> rest.clear();
            }
        }
        if (rest.size() < 2 || !rest.get(0).matches(CLIENT_ID_PATTERN)) {
            System.err.println("usage: ApiKeys [--api-key | --client-credentials | --both] <client-name> <appId>..."
                    + " (use * for every app)");
            System.err.println("  client-name: 1-64 characters of A-Z a-z 0-9 . _ - (also the clientId)");
            System.exit(2);
            return;
        }
        String name = rest.get(0);
        List<String> apps = rest.subList(1, rest.size());
        String newKey = key ? newKey() : null;
        String secret = credentials ? newClientSecret() : null;
        if (newKey != null) {
            System.out.println("New API key for client '" + name + "'. It is shown only this once:");
            System.out.println();
            System.out.println("  " + newKey);
            System.out.println();
        }
        if (secret != null) {
            System.out.println("New client credentials for client '" + name + "'. The secret is shown only this once:");
            System.out.println();
            System.out.println("  client_id:     " + name);
            System.out.println("  client_secret: " + secret);
            System.out.println();
        }
        System.out.println("Add this entry under 'clients:' in clients.yaml of the server's home"
                + " (add Transform or RunSourceScript to operations to allow ad-hoc SQL):");
        System.out.println();
        System.out.print(clientEntry(name, newKey == null ? null : sha256Hex(newKey), secret == null ? null : name,
                secret == null ? null : sha256Hex(secret), apps));
    }
}
