package org.openinfolink.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * API keys: how they are made and hashed, and the command that makes a new one.
 *
 * <p>A key is {@code il_} followed by 256 random bits in URL-safe Base64. The server stores only
 * the SHA-256 of a key's UTF-8 bytes, in lower-case hex, and compares hashes in constant time.
 *
 * <p>This file uses nothing but the JDK so that it runs as a single-file program, without a build:
 * <pre>java src/main/java/org/openinfolink/auth/ApiKeys.java crm-sync 7</pre>
 * prints a new key once and the {@code clients.yaml} entry to paste.
 */
public final class ApiKeys {

    private static final String PREFIX = "il_";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A new random key of 256 bits. */
    public static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
        StringBuilder yaml = new StringBuilder();
        yaml.append("  - name: ").append(name).append('\n');
        yaml.append("    apiKeySha256: ").append(sha256Hex).append('\n');
        yaml.append("    apps: [");
        for (int i = 0; i < apps.size(); i++) {
            yaml.append(i == 0 ? "" : ", ").append('"').append(apps.get(i)).append('"');
        }
        yaml.append("]\n");
        yaml.append("    operations: [RunScenario]\n");
        return yaml.toString();
    }

    /**
     * Makes a new key: {@code ApiKeys <client-name> <appId>...} ({@code *} for every app). Prints
     * the key once and the lines for {@code clients.yaml}; the key is not stored anywhere.
     */
    public static void main(String[] args) {
        if (args.length < 2 || !args[0].matches("[A-Za-z0-9._-]{1,64}")) {
            System.err.println("usage: ApiKeys <client-name> <appId>... (use * for every app)");
            System.err.println("  client-name: 1-64 characters of A-Z a-z 0-9 . _ -");
            System.exit(2);
            return;
        }
        List<String> apps = List.of(args).subList(1, args.length);
        String key = newKey();
        System.out.println("New API key for client '" + args[0] + "'. It is shown only this once:");
        System.out.println();
        System.out.println("  " + key);
        System.out.println();
        System.out.println("Add this entry under 'clients:' in clients.yaml of the server's home"
                + " (add Transform or RunSourceScript to operations to allow ad-hoc SQL):");
        System.out.println();
        System.out.print(clientEntry(args[0], sha256Hex(key), apps));
    }
}
