package org.openinfolink.scenario;

import java.util.Map;

/** How an app's named source is obtained (CONTRACT section 4.1). Immutable. */
public sealed interface SourceDefinition {

    /** A DataSource of the container, looked up by JNDI name, e.g. {@code java:comp/env/jdbc/crm}. */
    record Jndi(String jndiName) implements SourceDefinition {
    }

    /**
     * A DBCP2 pool of the server's own.
     *
     * @param url             the JDBC URL
     * @param username        the user, or null
     * @param password        the password after {@code ${env:NAME}} substitution, or null; never logged
     * @param driverClassName the driver class, or null to derive it from the URL
     * @param pool            pool settings by their DBCP2 property names ({@code maxTotal}, ...)
     */
    record Pool(String url, String username, String password, String driverClassName,
                Map<String, String> pool) implements SourceDefinition {
        @Override
        public String toString() {
            return "Pool[" + url + ", user " + username + "]";
        }
    }

    /** Extension: the server's embedded H2 database (the demo uses it). */
    record Embedded() implements SourceDefinition {
    }
}
