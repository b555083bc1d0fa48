package org.openinfolink.auth;

import java.util.Set;
import org.openinfolink.scenario.OperationType;

/**
 * An API client of {@code clients.yaml}. Immutable. Its name appears in logs; its key never does,
 * and only the key's hash is held here.
 *
 * @param name       the client's name, shown in logs
 * @param keySha256  SHA-256 of the client's API key
 * @param apps       app ids the client may use
 * @param allApps    true when the client may use every app ({@code "*"})
 * @param operations operations the client may run directly
 */
public record Client(String name, byte[] keySha256, Set<String> apps, boolean allApps,
                     Set<OperationType> operations) {

    public boolean mayUseApp(String appId) {
        return allApps || apps.contains(appId);
    }

    public boolean mayRun(OperationType operation) {
        return operations.contains(operation);
    }

    @Override
    public String toString() {
        return "Client[" + name + "]";
    }
}
