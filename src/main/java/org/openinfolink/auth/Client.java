package org.openinfolink.auth;

import java.util.Set;
import org.openinfolink.scenario.OperationType;

/**
 * An API client of {@code clients.yaml}. Immutable. Its name appears in logs; its key, secret and
 * tokens never do, and only the hashes of its key and secret are held here. A client has an API
 * key, client credentials (OAuth2, CONTRACT section 12.1), or both.
 *
 * @param name             the client's name, shown in logs
 * @param keySha256        SHA-256 of the client's API key, or null when it has none
 * @param clientId         its OAuth2 {@code client_id}, or null when it has no client credentials
 * @param secretSha256     SHA-256 of its {@code client_secret}; null exactly when {@code clientId} is
 * @param apps             app ids the client may use
 * @param allApps          true when the client may use every app ({@code "*"})
 * @param operations       operations the client may run directly
 */
public record Client(String name, byte[] keySha256, String clientId, byte[] secretSha256, Set<String> apps,
                     boolean allApps, Set<OperationType> operations) {

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
