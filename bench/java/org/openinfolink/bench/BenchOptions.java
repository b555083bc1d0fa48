package org.openinfolink.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the benchmark finds what it runs, what it runs and how large, from system properties that
 * the {@code bench} profile of pom.xml sets from the Maven properties of the same name without the
 * {@code infolink.} prefix ({@code -Dbench.parts=poll} on the Maven command line). Immutable.
 *
 * @param tomcatHome          {@code infolink.bench.tomcat}: the unpacked Tomcat 11 distribution
 * @param war                 {@code infolink.bench.war}: the WAR to deploy
 * @param contextFile         {@code infolink.bench.context}: the context file, {@code tomcat-conf/infolink.xml}
 * @param outputDirectory     {@code infolink.bench.output}: for the CATALINA_BASEs and {@code results.txt}
 * @param serverHeap          {@code infolink.bench.heap}: the server's fixed heap ({@code -Xms} and {@code -Xmx}),
 *                            default {@code 256m}
 * @param parts               {@code infolink.bench.parts}: the parts to run, default {@code large,submit,poll,cluster,small}
 * @param runs                {@code infolink.bench.runs}: large: measured rounds per database, default 10
 * @param rows                {@code infolink.bench.rows}: large: rows of the result, default 1,000,000
 * @param submitClients       {@code infolink.bench.submit.clients}: submit: concurrent clients, default 16
 * @param submitSeconds       {@code infolink.bench.submit.seconds}: submit: the measured window, default 10
 * @param submitWarmupSeconds {@code infolink.bench.submit.warmupSeconds}: submit: the warm-up, default 10
 * @param pollJobs            {@code infolink.bench.poll.jobs}: poll: finished jobs seeded, default 1,000,000
 * @param pollStatusCalls     {@code infolink.bench.poll.statusCalls}: poll: getJobStatus calls, default 2000
 * @param pollPages           {@code infolink.bench.poll.pages}: poll: getJobs pages, default 500
 * @param pollClients         {@code infolink.bench.poll.clients}: poll: concurrent clients, default 4
 * @param smallClients        {@code infolink.bench.small.clients}: small: concurrent clients, default 16
 * @param smallSeconds        {@code infolink.bench.small.seconds}: small: each measured window, default 10
 * @param smallWarmupSeconds  {@code infolink.bench.small.warmupSeconds}: small: the warm-up of each side, default 5
 * @param smallRounds         {@code infolink.bench.small.rounds}: small: rounds of server then baseline, default 3
 * @param smallStores         {@code infolink.bench.small.stores}: small: the servers' job stores, in this order,
 *                            default {@code h2,postgresql}
 */
record BenchOptions(Path tomcatHome, Path war, Path contextFile, Path outputDirectory, String serverHeap,
                    Set<Part> parts, int runs, int rows, int submitClients, int submitSeconds,
                    int submitWarmupSeconds, int pollJobs, int pollStatusCalls, int pollPages, int pollClients,
                    int smallClients, int smallSeconds, int smallWarmupSeconds, int smallRounds,
                    List<SmallStore> smallStores) {

    /** The servers' heap options as the reports print them: a fixed heap, {@code -Xms} equal to {@code -Xmx}. */
    String heapFlags() {
        return "-Xms" + serverHeap + " -Xmx" + serverHeap;
    }

    /** The parts of the benchmark, in the order they run. */
    enum Part {
        /** A large result through the store, sync and async, against a bare JDBC-to-Jackson loop. */
        LARGE,
        /** Async submissions per second on a PostgreSQL store. */
        SUBMIT,
        /** getJobStatus and getJobs latency with many finished jobs in a PostgreSQL store. */
        POLL,
        /** Jobs completed per second on 1, 2 and 3 nodes sharing one PostgreSQL store; a node killed. */
        CLUSTER,
        /** Small sync and status calls against bare servlets in the same Tomcat. */
        SMALL;

        String propertyValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the server of the {@code small} part keeps its jobs. */
    enum SmallStore {
        /** The default: the DataSource jdbc/infolink of tomcat-conf/infolink.xml, an H2 file database. */
        H2("H2"),
        /** A database of its own on the embedded PostgreSQL ({@code store:} in infolink.yaml). */
        POSTGRESQL("PostgreSQL");

        private final String label;

        SmallStore(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        String propertyValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    BenchOptions {
        parts = Set.copyOf(parts);
        smallStores = List.copyOf(smallStores);
    }

    static BenchOptions fromSystemProperties() {
        return new BenchOptions(
                path("infolink.bench.tomcat", "target/stock-tomcat/apache-tomcat-11.0.24"),
                path("infolink.bench.war", "target/infolink.war"),
                path("infolink.bench.context", "tomcat-conf/infolink.xml"),
                path("infolink.bench.output", "target/bench"),
                System.getProperty("infolink.bench.heap", "256m"),
                parts(System.getProperty("infolink.bench.parts", "large,submit,poll,cluster,small")),
                integer("infolink.bench.runs", 3, 1, 100),
                integer("infolink.bench.rows", BenchDatabase.DEFAULT_ROWS, 1000, 100_000_000),
                integer("infolink.bench.submit.clients", 16, 1, 1000),
                integer("infolink.bench.submit.seconds", 10, 1, 3600),
                integer("infolink.bench.submit.warmupSeconds", 10, 0, 3600),
                integer("infolink.bench.poll.jobs", 1_000_000, 20_000, 100_000_000),
                integer("infolink.bench.poll.statusCalls", 2000, 1, 10_000_000),
                integer("infolink.bench.poll.pages", 500, 1, 10_000_000),
                integer("infolink.bench.poll.clients", 4, 1, 1000),
                integer("infolink.bench.small.clients", 16, 1, 1000),
                integer("infolink.bench.small.seconds", 10, 1, 3600),
                integer("infolink.bench.small.warmupSeconds", 5, 0, 3600),
                integer("infolink.bench.small.rounds", 3, 1, 100),
                smallStores(System.getProperty("infolink.bench.small.stores", "h2,postgresql")));
    }

    boolean includes(Part part) {
        return parts.contains(part);
    }

    private static Set<Part> parts(String value) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (String word : value.split(",")) {
            String name = word.trim();
            if (name.isEmpty()) {
                continue;
            }
            Part part = null;
            for (Part candidate : Part.values()) {
                if (candidate.propertyValue().equals(name)) {
                    part = candidate;
                }
            }
            if (part == null) {
                throw new IllegalArgumentException("infolink.bench.parts: unknown part '" + name
                        + "'; the parts are large, submit, poll, cluster and small");
            }
            parts.add(part);
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("infolink.bench.parts names no part; the parts are large, submit,"
                    + " poll, cluster and small");
        }
        return parts;
    }

    private static List<SmallStore> smallStores(String value) {
        List<SmallStore> stores = new ArrayList<>();
        for (String word : value.split(",")) {
            String name = word.trim();
            if (name.isEmpty()) {
                continue;
            }
            SmallStore store = null;
            for (SmallStore candidate : SmallStore.values()) {
                if (candidate.propertyValue().equals(name)) {
                    store = candidate;
                }
            }
            if (store == null) {
                throw new IllegalArgumentException("infolink.bench.small.stores: unknown store '" + name
                        + "'; the stores are h2 and postgresql");
            }
            if (!stores.contains(store)) {
                stores.add(store);
            }
        }
        if (stores.isEmpty()) {
            throw new IllegalArgumentException("infolink.bench.small.stores names no store; the stores are h2 and"
                    + " postgresql");
        }
        return stores;
    }

    private static int integer(String property, int defaultValue, int min, int max) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.trim().replace("_", ""));
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(property + " must be a whole number from " + min + " to " + max
                + ", not '" + value + "'");
    }

    private static Path path(String property, String defaultValue) {
        return Path.of(System.getProperty(property, defaultValue)).toAbsolutePath().normalize();
    }
}
