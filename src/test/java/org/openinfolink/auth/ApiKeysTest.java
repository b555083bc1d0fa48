package org.openinfolink.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.testsupport.TestHome;

class ApiKeysTest {

    private static final Pattern KEY = Pattern.compile("il_[A-Za-z0-9_-]{43}");

    @Test
    void aKeyIsThePrefixAnd256BitsOfUrlSafeBase64() {
        String key = ApiKeys.newKey();
        assertTrue(KEY.matcher(key).matches(), key);
        byte[] random = Base64.getUrlDecoder().decode(key.substring("il_".length()));
        assertTrue(random.length * 8 >= 128, "at least 128 bits of randomness");
        assertEquals(32, random.length);
    }

    @Test
    void keysAreDistinctAndUseTheWholeAlphabet() {
        Set<String> keys = new HashSet<>();
        Set<Character> characters = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String key = ApiKeys.newKey();
            assertTrue(KEY.matcher(key).matches(), key);
            keys.add(key);
            key.substring(3).chars().forEach(c -> characters.add((char) c));
        }
        assertEquals(2000, keys.size());
        // 2000 keys of 43 random characters each use all 64 characters of the alphabet.
        assertEquals(64, characters.size());
    }

    @Test
    void sha256MatchesKnownTestVectors() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.sha256Hex("abc"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ApiKeys.sha256Hex(""));
        assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                ApiKeys.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals(32, ApiKeys.sha256("abc").length);
        assertEquals(ApiKeys.sha256Hex("abc"), java.util.HexFormat.of().formatHex(ApiKeys.sha256("abc")));
    }

    @Test
    void hashesTheUtf8BytesOfTheKey() {
        // SHA-256 of the bytes c3 a9 (UTF-8), not of e9 (ISO-8859-1)
        assertEquals("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c", ApiKeys.sha256Hex("\u00e9"));
        // SHA-256 of e2 82 ac, the euro sign
        assertEquals("c4cc90ed3d26f12d4b08a75140970a7904035c31cbb4515a83f19b9003c00d1d", ApiKeys.sha256Hex("\u20ac"));
    }

    @Test
    void aClientEntryIsReadBackByTheVerifier() {
        String key = ApiKeys.newKey();
        String entry = ApiKeys.clientEntry("crm-sync", ApiKeys.sha256Hex(key), List.of("7", "12"));
        assertEquals("  - name: crm-sync\n"
                + "    apiKeySha256: " + ApiKeys.sha256Hex(key) + "\n"
                + "    apps: [\"7\", \"12\"]\n"
                + "    operations: [RunScenario]\n", entry);
        TestHome home = TestHome.create("keys-entry").write("clients.yaml", "clients:\n" + entry);
        Client client = ApiKeyVerifier.load(home.path()).verify(key).orElseThrow();
        assertEquals("crm-sync", client.name());
        assertEquals(Set.of("7", "12"), client.apps());
        assertEquals(Set.of(OperationType.RUN_SCENARIO), client.operations());
    }

    @Test
    void anEntryForEveryAppIsReadBackAsAllApps() {
        String key = ApiKeys.newKey();
        TestHome home = TestHome.create("keys-all").write("clients.yaml",
                "clients:\n" + ApiKeys.clientEntry("ops", ApiKeys.sha256Hex(key), List.of("*")));
        Client client = ApiKeyVerifier.load(home.path()).verify(key).orElseThrow();
        assertTrue(client.allApps());
        assertTrue(client.mayUseApp("any-app"));
    }

    private static String runMain(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ApiKeys.main(args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mainPrintsANewKeyOnceAndTheEntryThatVerifiesIt() {
        String output = runMain("crm-sync", "7", "8");
        Matcher keys = Pattern.compile("il_[A-Za-z0-9_-]+").matcher(output);
        assertTrue(keys.find(), output);
        String key = keys.group();
        assertTrue(KEY.matcher(key).matches(), key);
        assertFalse(keys.find(), "the key is printed once: " + output);
        assertTrue(output.contains("\n  " + key + "\n"), output);
        assertTrue(output.contains("shown only this once"), output);

        int entryStart = output.indexOf("  - name: crm-sync\n");
        assertTrue(entryStart > 0, output);
        String entry = output.substring(entryStart);
        assertEquals(ApiKeys.clientEntry("crm-sync", ApiKeys.sha256Hex(key), List.of("7", "8")), entry);

        TestHome home = TestHome.create("keys-main").write("clients.yaml", "clients:\n" + entry);
        ApiKeyVerifier verifier = ApiKeyVerifier.load(home.path());
        Client client = verifier.verify(key).orElseThrow();
        assertEquals("crm-sync", client.name());
        assertEquals(Set.of("7", "8"), client.apps());
        assertTrue(verifier.verify(key.substring(0, key.length() - 1)).isEmpty());
    }

    @Test
    void mainMakesADifferentKeyEachTime() {
        Matcher first = KEY.matcher(runMain("a", "*"));
        Matcher second = KEY.matcher(runMain("a", "*"));
        assertTrue(first.find() && second.find());
        assertNotEquals(first.group(), second.group());
    }

    @Test
    void mainWithClientCredentialsPrintsTheSecretOnceAndAnEntryWithOnlyItsHash() {
        String output = runMain("--client-credentials", "batch", "7");
        Matcher secrets = Pattern.compile("ilc_[A-Za-z0-9_-]{43}").matcher(output);
        assertTrue(secrets.find(), output);
        String secret = secrets.group();
        assertFalse(secrets.find(), "the secret is printed once: " + output);
        assertFalse(KEY.matcher(output).find(), "no API key is made: " + output);
        assertTrue(output.contains("client_id:     batch\n"), output);
        String entry = output.substring(output.indexOf("  - name: batch\n"));
        assertEquals(ApiKeys.clientEntry("batch", null, "batch", ApiKeys.sha256Hex(secret), List.of("7")), entry);
        assertFalse(entry.contains("apiKeySha256"), entry);

        ApiKeyVerifier verifier = ApiKeyVerifier.load(TestHome.create("keys-credentials")
                .write("clients.yaml", "clients:\n" + entry).path());
        Client client = verifier.verifyCredentials("batch", secret).orElseThrow();
        assertEquals("batch", client.name());
        assertEquals(Set.of("7"), client.apps());
    }

    @Test
    void mainWithBothMakesAKeyAndClientCredentialsForOneClient() {
        String output = runMain("--both", "crm-sync", "*");
        Matcher key = Pattern.compile("\\bil_[A-Za-z0-9_-]{43}").matcher(output);
        Matcher secret = Pattern.compile("ilc_[A-Za-z0-9_-]{43}").matcher(output);
        assertTrue(key.find() && secret.find(), output);
        ApiKeyVerifier verifier = ApiKeyVerifier.load(TestHome.create("keys-both")
                .write("clients.yaml", "clients:\n" + output.substring(output.indexOf("  - name: crm-sync\n"))).path());
        assertEquals("crm-sync", verifier.verify(key.group()).orElseThrow().name());
        assertEquals("crm-sync", verifier.verifyCredentials("crm-sync", secret.group()).orElseThrow().name());
        assertTrue(verifier.verify(key.group()).orElseThrow().allApps());
    }

    @Test
    void aClientSecretIsThePrefixAnd256BitsAndNeverRepeats() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = ApiKeys.newClientSecret();
            assertTrue(secret.matches("ilc_[A-Za-z0-9_-]{43}"), secret);
            assertTrue(seen.add(secret));
        }
    }
}
