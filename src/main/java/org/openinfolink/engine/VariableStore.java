package org.openinfolink.engine;

import java.util.Optional;

/**
 * Where the values set by {@code SetVariable} are kept, shared by every job and every node.
 * Implementations are thread safe; a read sees the latest value written.
 */
public interface VariableStore {

    /** The value last set, or empty when the variable was never set. */
    Optional<String> get(String appId, String name);

    void set(String appId, String name, String value);
}
