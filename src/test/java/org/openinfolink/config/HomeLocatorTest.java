package org.openinfolink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.TestHome;

class HomeLocatorTest {

    private static final UnaryOperator<String> NONE = name -> null;

    private final Path contextHome = TestHome.create("locator-context").path();
    private final Path propertyHome = TestHome.create("locator-property").path();
    private final Path environmentHome = TestHome.create("locator-environment").path();

    private static UnaryOperator<String> only(String name, String value) {
        Map<String, String> values = new HashMap<>();
        values.put(name, value);
        return values::get;
    }

    private UnaryOperator<String> property(Path path) {
        return only("infolink.home", path.toString());
    }

    private UnaryOperator<String> environment(Path path) {
        return only("INFOLINK_HOME", path.toString());
    }

    @Test
    void theContextParameterWinsOverEverything() {
        HomeLocator.Location location = HomeLocator.locate(contextHome.toString(), property(propertyHome),
                environment(environmentHome));
        assertEquals(contextHome, location.path());
        assertEquals("context parameter infolink.home", location.source());
        assertFalse(location.isDemo());
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironment() {
        HomeLocator.Location location = HomeLocator.locate(null, property(propertyHome), environment(environmentHome));
        assertEquals(propertyHome, location.path());
        assertEquals("system property infolink.home", location.source());
    }

    @Test
    void theEnvironmentVariableIsUsedLast() {
        HomeLocator.Location location = HomeLocator.locate(null, NONE, environment(environmentHome));
        assertEquals(environmentHome, location.path());
        assertEquals("environment variable INFOLINK_HOME", location.source());
    }

    @Test
    void withNothingConfiguredTheDemoRuns() {
        HomeLocator.Location location = HomeLocator.locate(null, NONE, NONE);
        assertTrue(location.isDemo());
        assertNull(location.path());
        assertTrue(location.source().contains("built-in demo"), location.source());
    }

    @Test
    void blankValuesAreSkipped() {
        HomeLocator.Location location = HomeLocator.locate("  ", only("infolink.home", ""),
                environment(environmentHome));
        assertEquals(environmentHome, location.path());
        assertEquals("environment variable INFOLINK_HOME", location.source());

        location = HomeLocator.locate("", only("infolink.home", " \t"), only("INFOLINK_HOME", "   "));
        assertTrue(location.isDemo());
    }

    @Test
    void asksOnlyForTheDocumentedNames() {
        List<String> properties = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        HomeLocator.locate(null, name -> {
            properties.add(name);
            return null;
        }, name -> {
            variables.add(name);
            return null;
        });
        assertEquals(List.of("infolink.home"), properties);
        assertEquals(List.of("INFOLINK_HOME"), variables);
    }

    @Test
    void thePathIsTrimmedMadeAbsoluteAndNormalized() {
        Path relative = Path.of("target").toAbsolutePath().relativize(contextHome);
        String written = "  target/./" + relative + "/../" + contextHome.getFileName() + "  ";
        HomeLocator.Location location = HomeLocator.locate(written, NONE, NONE);
        assertTrue(location.path().isAbsolute(), location.path().toString());
        assertEquals(contextHome, location.path());
    }

    @Test
    void aConfiguredHomeThatDoesNotExistIsRefusedNamingItAndWhereItCameFrom() {
        Path missing = contextHome.resolve("no-such-folder");
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> HomeLocator.locate(null, property(missing), NONE));
        assertEquals("The configuration home " + missing + " (from system property infolink.home) is not an"
                + " existing folder. Create it, or remove the setting to run the built-in demo.", error.getMessage());
    }

    @Test
    void aConfiguredHomeThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(contextHome.resolve("a-file"), "not a folder");
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> HomeLocator.locate(null, NONE, environment(file)));
        assertTrue(error.getMessage().contains(file + " (from environment variable INFOLINK_HOME) is not an"
                + " existing folder"), error.getMessage());
    }

    @Test
    void aMissingHomeWithHigherPrecedenceIsRefusedRatherThanFallingBack() {
        Path missing = contextHome.resolve("no-such-folder");
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> HomeLocator.locate(missing.toString(), property(propertyHome), environment(environmentHome)));
        assertTrue(error.getMessage().contains("(from context parameter infolink.home)"), error.getMessage());
    }
}
