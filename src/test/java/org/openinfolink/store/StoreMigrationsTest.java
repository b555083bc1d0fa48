package org.openinfolink.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.logging.Logger;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.LogCapture;

/** What the migration step tells an operator about an H2 file store that may lose its last commits. */
class StoreMigrationsTest {

    @Test
    void anH2FileStoreWithAWriteDelayIsWarnedAboutAndOneWithoutItIsNot() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "h2-store");
        assertTrue(warnings("jdbc:h2:file:" + dir.resolve("delayed") + ";DATABASE_TO_LOWER=TRUE")
                .contains("with a write delay of 500 ms"));
        assertFalse(warnings("jdbc:h2:file:" + dir.resolve("direct") + ";DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0")
                .contains("write delay"));
    }

    private static String warnings(String url) throws SQLException {
        try (BasicDataSource pool = new BasicDataSource();
             LogCapture log = LogCapture.start(Logger.getLogger(StoreMigrations.class.getName()))) {
            pool.setUrl(url);
            pool.setUsername("sa");
            pool.setPassword("");
            StoreMigrations.migrate(pool, "test store");
            return log.text();
        }
    }
}
