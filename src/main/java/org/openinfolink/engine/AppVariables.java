package org.openinfolink.engine;

import java.util.HashMap;
import java.util.Map;
import org.openinfolink.scenario.App;

/**
 * App variables: strings shared by every job of an app. A value set by {@code SetVariable} lives
 * in the {@link VariableStore} and wins; a variable never set has its start value from
 * {@code app.yaml}. Thread safe.
 */
public final class AppVariables {

    private final VariableStore store;
    private final Map<String, Map<String, String>> startValues;

    /** @param apps the apps whose {@code variables:} give the start values */
    public AppVariables(VariableStore store, Iterable<App> apps) {
        this.store = store;
        Map<String, Map<String, String>> values = new HashMap<>();
        for (App app : apps) {
            values.put(app.id(), Map.copyOf(app.variables()));
        }
        this.startValues = Map.copyOf(values);
    }

    /** The variable's current value, or null when the app has no such variable. */
    public String get(String appId, String name) {
        return store.get(appId, name).orElseGet(() -> startValues.getOrDefault(appId, Map.of()).get(name));
    }

    public void set(String appId, String name, String value) {
        store.set(appId, name, value);
    }
}
