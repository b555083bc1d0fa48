package org.openinfolink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openinfolink.auth.ApiKeyVerifier;
import org.openinfolink.auth.ApiKeys;
import org.openinfolink.auth.Client;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.AppLoader;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.testsupport.TestHome;

class DemoHomeTest {

    private final Path directory = TestHome.create("demo").path().resolve("demo-home");

    @Test
    void writesTheDemoAppAndItsScenarios() {
        Path home = DemoHome.install(directory);
        assertEquals(directory, home);
        for (String file : List.of("clients.yaml", "apps/7/app.yaml", "apps/7/scenarios/Main.yaml",
                "apps/7/scenarios/Setup.yaml", "apps/7/scenarios/Countries.yaml")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
    }

    @Test
    void theDemoClientVerifiesTheDemoKeyForApp7Only() {
        ApiKeyVerifier verifier = ApiKeyVerifier.load(DemoHome.install(directory));
        assertEquals(1, verifier.clients().size());
        Client client = verifier.verify(DemoHome.DEMO_API_KEY).orElseThrow();
        assertEquals("demo", client.name());
        assertEquals(Set.of("7"), client.apps());
        assertFalse(client.allApps());
        assertTrue(client.mayUseApp("7"));
        assertFalse(client.mayUseApp("8"));
        assertFalse(client.mayUseApp("*"));
        assertEquals(Set.of(OperationType.RUN_SCENARIO), client.operations());
        assertFalse(verifier.verify(DemoHome.DEMO_API_KEY + "x").isPresent());
        assertFalse(verifier.verify(ApiKeys.newKey()).isPresent());
    }

    @Test
    void clientsYamlHoldsOnlyTheKeysHash() throws IOException {
        String clients = Files.readString(DemoHome.install(directory).resolve("clients.yaml"));
        assertFalse(clients.contains(DemoHome.DEMO_API_KEY), clients);
        assertTrue(clients.contains(ApiKeys.sha256Hex(DemoHome.DEMO_API_KEY)), clients);
        assertFalse(clients.contains(DemoHome.DEMO_CLIENT_SECRET), clients);
        assertTrue(clients.contains(ApiKeys.sha256Hex(DemoHome.DEMO_CLIENT_SECRET)), clients);
    }

    @Test
    void theDemoAppLoadsWithoutProblems() {
        AppLoader loader = new AppLoader(name -> null, SqlDialect.H2);
        Map<String, App> apps = loader.load(DemoHome.install(directory));
        assertEquals(List.of(), loader.problems());
        assertEquals(Set.of("7"), apps.keySet());
        App app = apps.get("7");
        assertTrue(app.isValid());
        assertEquals("Demo", app.name());
        assertEquals(Set.of("Main", "Setup", "Countries"), app.scenarios().keySet());
        app.scenarios().values().forEach(entry -> assertTrue(entry.isValid(), entry.name() + ": " + entry.invalidReason()));
    }

    @Test
    void installingTwiceWorksAndRestoresChangedFiles() throws IOException {
        DemoHome.install(directory);
        Files.writeString(directory.resolve("clients.yaml"), "clients: []\n");
        Files.writeString(directory.resolve("apps/7/scenarios/Main.yaml"), "broken: [\n");
        Path home = DemoHome.install(directory);
        assertTrue(ApiKeyVerifier.load(home).verify(DemoHome.DEMO_API_KEY).isPresent());
        AppLoader loader = new AppLoader(name -> null, SqlDialect.H2);
        assertTrue(loader.load(home).get("7").scenario("Main").orElseThrow().isValid());
        assertEquals(List.of(), loader.problems());
    }
}
