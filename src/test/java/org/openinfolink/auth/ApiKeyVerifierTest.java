package org.openinfolink.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.openinfolink.config.ConfigurationException;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.testsupport.LogCapture;
import org.openinfolink.testsupport.TestHome;

class ApiKeyVerifierTest {

    private static final String KEY_A = "il_key-of-client-a-0123456789abcdefghijklmnopq";
    private static final String KEY_B = "il_key-of-client-b-0123456789abcdefghijklmnopq";

    private static TestHome clients(String yaml) {
        return TestHome.create("verifier").write("clients.yaml", yaml);
    }

    /** Loads {@code yaml} as clients.yaml and returns the refusal's message without the file prefix. */
    private static String refusal(String yaml) {
        TestHome home = clients(yaml);
        ConfigurationException error =
                assertThrows(ConfigurationException.class, () -> ApiKeyVerifier.load(home.path()));
        String prefix = home.path().resolve("clients.yaml") + ": ";
        assertTrue(error.getMessage().startsWith(prefix), "names the file: " + error.getMessage());
        return error.getMessage().substring(prefix.length());
    }

    private static String entry(String name, String key, String apps) {
        return "  - name: " + name + "\n    apiKeySha256: " + ApiKeys.sha256Hex(key) + "\n    apps: " + apps + "\n";
    }

    @Test
    void withoutClientsYamlEveryKeyIsRefused() throws IOException {
        TestHome home = TestHome.create("verifier-none");
        Files.delete(home.path().resolve("clients.yaml"));
        ApiKeyVerifier verifier;
        try (LogCapture log = LogCapture.start(Logger.getLogger(ApiKeyVerifier.class.getName()))) {
            verifier = ApiKeyVerifier.load(home.path());
            assertTrue(log.text().contains(home.path().resolve("clients.yaml") + " does not exist"), log.text());
            assertTrue(log.text().contains("every call is refused"), log.text());
        }
        assertEquals(List.of(), verifier.clients());
        assertFalse(verifier.verify(KEY_A).isPresent());
        assertFalse(verifier.verify(ApiKeys.newKey()).isPresent());
    }

    @Test
    void appIdsAreReadAsWrittenNotAsYamlNumbers() {
        ApiKeyVerifier verifier = ApiKeyVerifier.load(clients("clients:\n"
                + entry("octal", KEY_A, "[010, 7, NO]")).path());
        Client client = verifier.verify(KEY_A).orElseThrow();
        assertTrue(client.mayUseApp("010"));
        assertTrue(client.mayUseApp("7"));
        assertTrue(client.mayUseApp("NO"));
        assertFalse(client.mayUseApp("8"), "010 is not the octal number 8");
        assertFalse(client.mayUseApp("false"));
    }

    @Test
    void anEmptyFileOrAnEmptyListHasNoClients() {
        for (String yaml : List.of("", "# no clients yet\n", "clients: ~\n", "clients: []\n")) {
            ApiKeyVerifier verifier = ApiKeyVerifier.load(clients(yaml).path());
            assertEquals(List.of(), verifier.clients(), yaml);
            assertFalse(verifier.verify(KEY_A).isPresent(), yaml);
        }
    }

    /**
     * {@code clients:} with every entry commented out is an empty YAML value, which Jackson reads as
     * the empty string rather than null; it must mean "no clients" (fail closed), not stop the server.
     */
    @Test
    void clientsWithEveryEntryCommentedOutMeansNoClients() {
        ApiKeyVerifier verifier = ApiKeyVerifier.load(clients("clients:\n#  - name: crm\n"
                + "#    apiKeySha256: " + ApiKeys.sha256Hex(KEY_A) + "\n#    apps: [\"7\"]\n").path());
        assertEquals(List.of(), verifier.clients());
        assertFalse(verifier.verify(KEY_A).isPresent());
    }

    @Test
    void aGoodKeyMapsToItsClientWithItsAppsAndOperations() {
        ApiKeyVerifier verifier = ApiKeyVerifier.load(clients("clients:\n"
                + entry("crm-sync", KEY_A, "[\"7\", \"8\"]")
                + entry("admin", KEY_B, "[\"7\"]")
                + "    operations: [RunScenario, Transform, RunSourceScript, SetVariable]\n").path());
        assertEquals(2, verifier.clients().size());

        Client a = verifier.verify(KEY_A).orElseThrow();
        assertEquals("crm-sync", a.name());
        assertEquals(Set.of("7", "8"), a.apps());
        assertFalse(a.allApps());
        assertTrue(a.mayUseApp("8"));
        assertFalse(a.mayUseApp("9"));
        assertEquals(Set.of(OperationType.RUN_SCENARIO), a.operations(), "default operations");
        assertTrue(a.mayRun(OperationType.RUN_SCENARIO));
        assertFalse(a.mayRun(OperationType.TRANSFORM));

        Client b = verifier.verify(KEY_B).orElseThrow();
        assertEquals("admin", b.name());
        assertEquals(Set.of(OperationType.values()), b.operations());
        assertFalse(b.mayUseApp("8"));
        assertSame(b, verifier.verify(KEY_B).orElseThrow());
    }

    @Test
    void theClientNeverShowsItsKeyOrHash() {
        Client client = ApiKeyVerifier.load(clients("clients:\n" + entry("crm", KEY_A, "[\"7\"]")).path())
                .verify(KEY_A).orElseThrow();
        assertEquals("Client[crm]", client.toString());
    }

    @Test
    void starGrantsEveryApp() {
        ApiKeyVerifier verifier = ApiKeyVerifier.load(clients("clients:\n" + entry("ops", KEY_A, "\"*\"")).path());
        Client client = verifier.verify(KEY_A).orElseThrow();
        assertTrue(client.allApps());
        assertTrue(client.mayUseApp("7"));
        assertTrue(client.mayUseApp("anything"));
    }

    @Test
    void aSingleAppAndASingleOperationMayBeWrittenWithoutBrackets() {
        ApiKeyVerifier verifier = ApiKeyVerifier.load(clients("clients:\n" + entry("one", KEY_A, "\"7\"")
                + "    operations: Transform\n").path());
        Client client = verifier.verify(KEY_A).orElseThrow();
        assertEquals(Set.of("7"), client.apps());
        assertEquals(Set.of(OperationType.TRANSFORM), client.operations());
    }

    @Test
    void anUpperCaseHashIsAccepted() {
        String yaml = "clients:\n  - name: upper\n    apiKeySha256: " + ApiKeys.sha256Hex(KEY_A).toUpperCase()
                + "\n    apps: [\"7\"]\n";
        assertEquals("upper", ApiKeyVerifier.load(clients(yaml).path()).verify(KEY_A).orElseThrow().name());
    }

    @Test
    void nullEmptyUnknownAndAlmostRightKeysAreRefused() {
        ApiKeyVerifier verifier = ApiKeyVerifier.load(clients("clients:\n" + entry("crm", KEY_A, "[\"7\"]")).path());
        assertTrue(verifier.verify(KEY_A).isPresent());
        assertFalse(verifier.verify(null).isPresent());
        assertFalse(verifier.verify("").isPresent());
        assertFalse(verifier.verify(KEY_B).isPresent());
        assertFalse(verifier.verify(ApiKeys.sha256Hex(KEY_A)).isPresent(), "the hash is not the key");
        assertFalse(verifier.verify(KEY_A + " ").isPresent());
        assertFalse(verifier.verify(KEY_A.toUpperCase()).isPresent());
        for (int i = 0; i < KEY_A.length(); i++) {
            char changed = KEY_A.charAt(i) == 'x' ? 'y' : 'x';
            String almost = KEY_A.substring(0, i) + changed + KEY_A.substring(i + 1);
            assertFalse(verifier.verify(almost).isPresent(), almost);
        }
    }

    @Test
    void aBadHashIsRefusedNamingTheClient() {
        String expected = "client 'crm'.apiKeySha256: must be the 64 hex digits of the key's SHA-256";
        String hash = ApiKeys.sha256Hex(KEY_A);
        assertEquals(expected, refusal("clients:\n  - name: crm\n    apiKeySha256: " + hash.substring(1)
                + "\n    apps: [\"7\"]\n"));
        assertEquals(expected, refusal("clients:\n  - name: crm\n    apiKeySha256: " + hash + "0"
                + "\n    apps: [\"7\"]\n"));
        assertEquals(expected, refusal("clients:\n  - name: crm\n    apiKeySha256: g" + hash.substring(1)
                + "\n    apps: [\"7\"]\n"));
        assertEquals(expected, refusal("clients:\n  - name: crm\n    apiKeySha256: " + KEY_A
                + "\n    apps: [\"7\"]\n"));
        assertEquals("client 'crm': needs apiKeySha256, or clientId and clientSecretSha256, or both",
                refusal("clients:\n  - name: crm\n    apps: [\"7\"]\n"));
    }

    @Test
    void aDuplicateNameIsRefused() {
        assertEquals("client 'crm': is listed twice",
                refusal("clients:\n" + entry("crm", KEY_A, "[\"7\"]") + entry("crm", KEY_B, "[\"8\"]")));
    }

    @Test
    void aDuplicateHashIsRefusedWhateverItsCase() {
        String expected = "client 'second'.apiKeySha256: is the same key as another client's";
        assertEquals(expected, refusal("clients:\n" + entry("first", KEY_A, "[\"7\"]")
                + entry("second", KEY_A, "[\"8\"]")));
        assertEquals(expected, refusal("clients:\n" + entry("first", KEY_A, "[\"7\"]")
                + "  - name: second\n    apiKeySha256: " + ApiKeys.sha256Hex(KEY_A).toUpperCase()
                + "\n    apps: [\"8\"]\n"));
    }

    @Test
    void anUnknownOperationIsRefusedListingTheKnownOnes() {
        assertEquals("client 'crm'.operations: unknown operation 'Query'; known: RunScenario, Transform,"
                        + " RunSourceScript, SetVariable",
                refusal("clients:\n" + entry("crm", KEY_A, "[\"7\"]") + "    operations: [RunScenario, Query]\n"));
        assertEquals("client 'crm'.operations: unknown operation 'transform'; known: RunScenario, Transform,"
                        + " RunSourceScript, SetVariable",
                refusal("clients:\n" + entry("crm", KEY_A, "[\"7\"]") + "    operations: [transform]\n"));
    }

    @Test
    void missingOrEmptyAppsAreRefused() {
        String expected = "client 'crm'.apps: is required: the app ids the client may use, or \"*\"";
        assertEquals(expected, refusal("clients:\n  - name: crm\n    apiKeySha256: " + ApiKeys.sha256Hex(KEY_A)
                + "\n"));
        assertEquals(expected, refusal("clients:\n" + entry("crm", KEY_A, "[]")));
    }

    @Test
    void appsThatAreNotStringsAreRefused() {
        assertEquals("client 'crm'.apps: must be a list of strings",
                refusal("clients:\n" + entry("crm", KEY_A, "{seven: 7}")));
        assertEquals("client 'crm'.apps: must be a list of strings",
                refusal("clients:\n" + entry("crm", KEY_A, "[\"7\", ~]")));
    }

    @Test
    void aMissingOrBlankNameIsRefusedNamingTheEntry() {
        assertEquals("clients[2].name: is required", refusal("clients:\n" + entry("crm", KEY_A, "[\"7\"]")
                + "  - apiKeySha256: " + ApiKeys.sha256Hex(KEY_B) + "\n    apps: [\"7\"]\n"));
        assertEquals("clients[1].name: is required", refusal("clients:\n" + entry("\"  \"", KEY_A, "[\"7\"]")));
    }

    /**
     * Every other mistake in an entry names the client; an unknown key should too, so the operator
     * finds the entry by the name they wrote.
     */
    @Test
    void anUnknownKeyIsRefusedNamingTheFileTheClientAndTheKey() {
        String message = refusal("clients:\n" + entry("crm", KEY_A, "[\"7\"]") + entry("billing", KEY_B, "[\"8\"]")
                + "    colour: blue\n");
        assertTrue(message.contains("colour") && message.contains("unknown key"), message);
        assertTrue(message.contains("client 'billing'"), "names the client: " + message);
    }

    @Test
    void anUnknownTopLevelKeyIsRefused() {
        String message = refusal("client:\n" + entry("crm", KEY_A, "[\"7\"]"));
        assertEquals("client: unknown key; expected one of clients", message);
    }

    @Test
    void malformedFilesAreRefusedNamingTheFile() {
        assertTrue(refusal("clients: [\n").startsWith("not valid YAML: "));
        assertEquals("must be a mapping of keys to values", refusal("- name: crm\n"));
        assertEquals("clients: must be a list of clients", refusal("clients: crm\n"));
        assertEquals("clients: must be a list of clients", refusal("clients: {name: crm}\n"));
        assertEquals("clients[1]: must be a mapping with name, apiKeySha256 and/or clientId and clientSecretSha256,"
                + " and apps", refusal("clients: [crm]\n"));
    }

    // ---- client credentials (OAuth2) -----------------------------------------------------------

    private static final String SECRET_A = "ilc_secret-of-client-a-0123456789abcdefghijklmn";
    private static final String SECRET_B = "ilc_secret-of-client-b-0123456789abcdefghijklmn";

    @Test
    void clientCredentialsAloneOrWithAKeyIdentifyTheirClient() {
        ApiKeyVerifier verifier = ApiKeyVerifier.load(clients("clients:\n"
                + "  - name: batch\n    clientId: batch-id\n    clientSecretSha256: " + ApiKeys.sha256Hex(SECRET_A)
                + "\n    apps: [\"7\"]\n"
                + "  - name: both\n    apiKeySha256: " + ApiKeys.sha256Hex(KEY_B) + "\n    clientId: both-id\n"
                + "    clientSecretSha256: " + ApiKeys.sha256Hex(SECRET_B) + "\n    apps: [\"*\"]\n").path());

        assertEquals("batch", verifier.verifyCredentials("batch-id", SECRET_A).orElseThrow().name());
        assertEquals("both", verifier.verifyCredentials("both-id", SECRET_B).orElseThrow().name());
        assertEquals("both", verifier.verify(KEY_B).orElseThrow().name());
        assertFalse(verifier.verifyCredentials("batch-id", SECRET_B).isPresent(), "another client's secret");
        assertFalse(verifier.verifyCredentials("both-id", SECRET_A).isPresent(), "another client's secret");
        assertFalse(verifier.verifyCredentials("batch", SECRET_A).isPresent(), "the name is not the id");
        assertFalse(verifier.verifyCredentials("batch-id", SECRET_A + "x").isPresent());
        assertFalse(verifier.verifyCredentials("batch-id", "").isPresent());
        assertFalse(verifier.verifyCredentials("batch-id", null).isPresent());
        assertFalse(verifier.verifyCredentials(null, SECRET_A).isPresent());
        assertFalse(verifier.verify(SECRET_A).isPresent(), "a secret is no API key");
        assertFalse(verifier.verify(ApiKeys.sha256Hex(SECRET_A)).isPresent());
        assertEquals("batch", verifier.byName("batch").orElseThrow().name());
        assertFalse(verifier.byName("nobody").isPresent());
    }

    @Test
    void badClientCredentialsAreRefusedNamingTheClient() {
        String secretHash = ApiKeys.sha256Hex(SECRET_A);
        assertEquals("client 'crm': needs both clientId and clientSecretSha256, or neither",
                refusal("clients:\n  - name: crm\n    clientId: crm\n    apps: [\"7\"]\n"));
        assertEquals("client 'crm': needs both clientId and clientSecretSha256, or neither",
                refusal("clients:\n  - name: crm\n    clientSecretSha256: " + secretHash + "\n    apps: [\"7\"]\n"));
        assertEquals("client 'crm'.clientSecretSha256: must be the 64 hex digits of the client secret's SHA-256",
                refusal("clients:\n  - name: crm\n    clientId: crm\n    clientSecretSha256: " + SECRET_A
                        + "\n    apps: [\"7\"]\n"));
        assertEquals("client 'crm'.clientId: must be 1-64 characters of A-Z a-z 0-9 . _ -",
                refusal("clients:\n  - name: crm\n    clientId: \"c r m\"\n    clientSecretSha256: " + secretHash
                        + "\n    apps: [\"7\"]\n"));
        assertEquals("client 'two'.clientId: is the same as another client's",
                refusal("clients:\n  - name: one\n    clientId: crm\n    clientSecretSha256: " + secretHash
                        + "\n    apps: [\"7\"]\n  - name: two\n    clientId: crm\n    clientSecretSha256: "
                        + ApiKeys.sha256Hex(SECRET_B) + "\n    apps: [\"7\"]\n"));
    }
}
