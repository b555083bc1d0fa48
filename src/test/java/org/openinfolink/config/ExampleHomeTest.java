package org.openinfolink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openinfolink.auth.ApiKeyVerifier;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.AppLoader;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.scenario.ScenarioEntry;
import org.openinfolink.scenario.SourceDefinition;
import org.openinfolink.sql.SqlDialect;

/**
 * {@code examples/home}, the commented home the README tells newcomers to copy, loads with the
 * server's own loaders without a single invalid file, and shows every operation. Its PostgreSQL
 * sources are configuration only: the loaders never connect.
 */
class ExampleHomeTest {

    private static final Path HOME = Path.of("examples", "home");

    @Test
    void everyFileOfTheExampleHomeIsValid() throws IOException {
        Settings settings = Settings.load(HOME);
        assertEquals(4, settings.jobs().maxConcurrent());
        assertFalse(settings.api().httpErrorStatus());

        ApiKeyVerifier.load(HOME);

        AppLoader loader = new AppLoader(Map.of("CRM_PASSWORD", "secret", "DW_PASSWORD", "secret")::get,
                SqlDialect.H2);
        Map<String, App> apps = loader.load(HOME);
        assertEquals(List.of(), loader.problems());
        assertEquals(Set.of("crm"), apps.keySet());
        App crm = apps.get("crm");
        assertTrue(crm.isValid(), crm.invalidReason());
        assertEquals("crm", crm.defaultSource());

        Set<String> files;
        try (Stream<Path> listed = Files.list(HOME.resolve("apps/crm/scenarios"))) {
            files = listed.map(path -> path.getFileName().toString().replaceFirst("\\.yaml$", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(crm.scenarios().keySet()), "every scenario file is loaded, none skipped");
        EnumSet<OperationType> shown = EnumSet.noneOf(OperationType.class);
        for (ScenarioEntry entry : crm.scenarios().values()) {
            assertTrue(entry.isValid(), entry.name() + ": " + entry.invalidReason());
            entry.scenario().steps().forEach(step -> shown.add(step.operation().type()));
        }
        assertEquals(EnumSet.allOf(OperationType.class), shown, "one scenario per operation type");
    }

    @Test
    void theSourcesAreOnPostgresqlAndReadTheirPasswordsFromTheEnvironment() {
        AppLoader loader = new AppLoader(Map.of("CRM_PASSWORD", "from-env", "DW_PASSWORD", "dw")::get, SqlDialect.H2);
        Map<String, SourceDefinition> sources = loader.load(HOME).get("crm").sources();
        assertEquals(Set.of("crm", "warehouse"), sources.keySet());
        SourceDefinition.Pool crm = (SourceDefinition.Pool) sources.get("crm");
        assertTrue(crm.url().startsWith("jdbc:postgresql://"), crm.url());
        assertEquals("from-env", crm.password(), "the environment is read at load time");
        assertTrue(sources.get("warehouse") instanceof SourceDefinition.Pool);

        AppLoader withoutEnvironment = new AppLoader(name -> null, SqlDialect.H2);
        App unset = withoutEnvironment.load(HOME).get("crm");
        assertFalse(unset.isValid(), "an unset password variable is reported, not ignored");
        assertTrue(unset.invalidReason().contains("CRM_PASSWORD"), unset.invalidReason());
    }
}
