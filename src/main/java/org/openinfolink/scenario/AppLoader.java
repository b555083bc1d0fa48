package org.openinfolink.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openinfolink.config.ConfigReader;
import org.openinfolink.config.ConfigurationException;
import org.openinfolink.config.Settings;
import org.openinfolink.sql.PoolFactory;
import org.openinfolink.sql.SqlDialect;

/**
 * Reads and validates every app of a home ({@code apps/<appId>/app.yaml} and
 * {@code apps/<appId>/scenarios/<Name>.yaml}) at start-up. An invalid file is reported with its
 * path and reason and leaves the rest working: the app or scenario is kept with its reason.
 * Not thread safe; used once per start.
 */
public final class AppLoader {

    private static final Logger LOG = Logger.getLogger(AppLoader.class.getName());
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final UnaryOperator<String> environment;
    private final SqlDialect defaultSourceDialect;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param environment          reads an environment variable ({@code System::getenv} in production)
     * @param defaultSourceDialect the dialect of the server's {@code default} source, when known
     */
    public AppLoader(UnaryOperator<String> environment, SqlDialect defaultSourceDialect) {
        this.environment = environment;
        this.defaultSourceDialect = defaultSourceDialect;
    }

    /** Every problem found, as {@code <path>: <reason>}, in the order found. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /**
     * Loads every app under {@code home/apps}. A home without {@code apps/} has no apps.
     *
     * @throws ConfigurationException if the apps folder cannot be listed
     */
    public Map<String, App> load(Path home) {
        Path appsDir = home.resolve("apps");
        Map<String, App> apps = new TreeMap<>();
        if (!Files.isDirectory(appsDir)) {
            LOG.warning(appsDir + " does not exist: no apps are configured.");
            return apps;
        }
        for (Path appDir : list(appsDir)) {
            if (Files.isDirectory(appDir) && !appDir.getFileName().toString().startsWith(".")) {
                App app = loadApp(appDir);
                apps.put(app.id(), app);
            }
        }
        return apps;
    }

    private App loadApp(Path appDir) {
        String appId = appDir.getFileName().toString();
        Path appFile = appDir.resolve("app.yaml");
        AppHeader header;
        try {
            header = readAppFile(appId, new ConfigReader(appFile));
        } catch (ConfigurationException e) {
            problems.add(e.getMessage());
            LOG.severe("App '" + appId + "' is invalid: " + e.getMessage());
            return new App(appId, appId, null, Map.of(), App.DEFAULT_SOURCE, Map.of(), Map.of(), e.getMessage());
        }
        Map<String, ScenarioEntry> scenarios = new ScenarioValidator(appId, header, appDir.resolve("scenarios"))
                .loadAll();
        return new App(appId, header.name(), header.description(), header.sources(), header.defaultSource(),
                header.variables(), scenarios, null);
    }

    private AppHeader readAppFile(String appId, ConfigReader reader) {
        JsonNode root = reader.readMapping();
        // schedules: are read and validated by the schedule package, once the scenarios are known
        reader.checkKeys(root, "", Set.of("name", "description", "sources", "defaultSource", "variables",
                "schedules"));
        String name = reader.text(root, "", "name");
        String description = reader.text(root, "", "description");

        Map<String, SourceDefinition> sources = new LinkedHashMap<>();
        JsonNode sourcesNode = reader.mapping(root, "", "sources");
        for (Map.Entry<String, JsonNode> entry : sourcesNode.properties()) {
            sources.put(entry.getKey(), readSource(reader, "sources." + entry.getKey(), entry.getValue()));
        }
        String defaultSource = reader.text(root, "", "defaultSource");
        if (defaultSource == null) {
            defaultSource = App.DEFAULT_SOURCE;
        } else if (!defaultSource.equals(App.DEFAULT_SOURCE) && !sources.containsKey(defaultSource)) {
            throw reader.fail("defaultSource", "names no source of this app: '" + defaultSource + "'");
        }

        Map<String, String> variables = new LinkedHashMap<>();
        JsonNode variablesNode = reader.mapping(root, "", "variables");
        for (Map.Entry<String, JsonNode> entry : variablesNode.properties()) {
            if (!OperationParser.NAME.matcher(entry.getKey()).matches()) {
                throw reader.fail("variables." + entry.getKey(), "is not a valid variable name");
            }
            if (entry.getValue().isContainerNode()) {
                throw reader.fail("variables." + entry.getKey(), "must be a string");
            }
            variables.put(entry.getKey(), entry.getValue().isNull() ? "" : entry.getValue().asText());
        }
        return new AppHeader(name == null ? appId : name, description, Collections.unmodifiableMap(sources),
                defaultSource, Collections.unmodifiableMap(variables));
    }

    /**
     * The database {@code store:} of {@code infolink.yaml} names with {@code jndi}, {@code url} or
     * {@code embedded}, read as an app source is ({@code ${env:NAME}} included).
     *
     * @throws ConfigurationException naming the file and the key when the source is wrong
     */
    public SourceDefinition readStoreSource(Path settingsFile) {
        ConfigReader reader = new ConfigReader(settingsFile);
        ObjectNode store = (ObjectNode) reader.mapping(reader.readMapping(), "", "store").deepCopy();
        store.retain(Settings.SOURCE_KEYS);
        return readSource(reader, "store", store);
    }

    private SourceDefinition readSource(ConfigReader reader, String where, JsonNode node) {
        if (!node.isObject()) {
            throw reader.fail(where, "must be a mapping with jndi, or url/username/password");
        }
        reader.checkKeys(node, where, Settings.SOURCE_KEYS);
        String jndi = reader.text(node, where, "jndi");
        String url = reader.text(node, where, "url");
        boolean embedded = reader.bool(node, where, "embedded", false);
        int kinds = (jndi != null ? 1 : 0) + (url != null ? 1 : 0) + (embedded ? 1 : 0);
        if (kinds != 1) {
            throw reader.fail(where, "needs exactly one of jndi, url or embedded: true");
        }
        if (jndi != null) {
            return new SourceDefinition.Jndi(jndi);
        }
        if (embedded) {
            return new SourceDefinition.Embedded();
        }
        Map<String, String> pool = new LinkedHashMap<>();
        JsonNode poolNode = reader.mapping(node, where, "pool");
        reader.checkKeys(poolNode, where + ".pool", PoolFactory.SETTINGS);
        for (Map.Entry<String, JsonNode> entry : poolNode.properties()) {
            if (entry.getValue().isContainerNode()) {
                throw reader.fail(where + ".pool." + entry.getKey(), "must be a single value");
            }
            pool.put(entry.getKey(), entry.getValue().asText());
        }
        String maxWait = pool.get("maxWaitMillis");
        if (maxWait != null && (!maxWait.matches("\\d{1,9}") || Long.parseLong(maxWait) == 0)) {
            throw reader.fail(where + ".pool.maxWaitMillis",
                    "must be a positive number of milliseconds (an unbounded wait is not allowed)");
        }
        return new SourceDefinition.Pool(
                resolveEnv(reader, where + ".url", url),
                resolveEnv(reader, where + ".username", reader.text(node, where, "username")),
                resolveEnv(reader, where + ".password", reader.text(node, where, "password")),
                reader.text(node, where, "driverClassName"),
                Collections.unmodifiableMap(pool));
    }

    private String resolveEnv(ConfigReader reader, String where, String value) {
        if (value == null) {
            return null;
        }
        Matcher matcher = ENV_REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String envValue = environment.apply(variable);
            if (envValue == null) {
                throw reader.fail(where, "environment variable " + variable + " is not set");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(envValue));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new ConfigurationException(dir, "cannot be listed: " + e.getMessage());
        }
    }

    /** What {@code app.yaml} says, before the scenarios are read. */
    record AppHeader(String name, String description, Map<String, SourceDefinition> sources,
                     String defaultSource, Map<String, String> variables) {
    }

    /** Reads and validates the scenarios of one app. */
    private final class ScenarioValidator {
        private final String appId;
        private final AppHeader app;
        private final Path scenariosDir;

        ScenarioValidator(String appId, AppHeader app, Path scenariosDir) {
            this.appId = appId;
            this.app = app;
            this.scenariosDir = scenariosDir;
        }

        Map<String, ScenarioEntry> loadAll() {
            Map<String, ScenarioEntry> entries = new TreeMap<>();
            if (!Files.isDirectory(scenariosDir)) {
                return entries;
            }
            Map<String, Path> files = new TreeMap<>();
            for (Path file : list(scenariosDir)) {
                String fileName = file.getFileName().toString();
                if (Files.isRegularFile(file) && fileName.endsWith(".yaml") && !fileName.startsWith(".")) {
                    files.put(fileName.substring(0, fileName.length() - ".yaml".length()), file);
                } else if (fileName.endsWith(".yml")) {
                    LOG.warning(file + " is ignored: scenario files end in .yaml");
                }
            }
            ScenarioChecker checker = new ScenarioChecker(appId, app, defaultSourceDialect);
            Map<String, ScenarioChecker.Parsed> parsed = new LinkedHashMap<>();
            for (Map.Entry<String, Path> file : files.entrySet()) {
                parsed.put(file.getKey(), checker.parse(file.getKey(), new ConfigReader(file.getValue())));
            }
            checker.validate(parsed);
            for (Map.Entry<String, ScenarioChecker.Parsed> entry : parsed.entrySet()) {
                ScenarioEntry scenario = entry.getValue().toEntry();
                if (!scenario.isValid()) {
                    String problem = files.get(entry.getKey()) + ": " + scenario.invalidReason();
                    problems.add(problem);
                    LOG.severe("Scenario '" + entry.getKey() + "' of app '" + appId + "' is invalid: " + problem);
                }
                entries.put(entry.getKey(), scenario);
            }
            return entries;
        }
    }
}
