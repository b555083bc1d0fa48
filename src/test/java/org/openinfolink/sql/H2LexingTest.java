package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The splitter and the template against a real in-memory H2: its lexer must agree with ours. */
class H2LexingTest {

    private static final String SCRIPT = """
            CREATE TABLE notes (id INT PRIMARY KEY, `text;col` VARCHAR(100));
            /* a /* nested; */ comment; */
            INSERT INTO notes VALUES (1, 'it''s; here'); // a slash; comment
            -- a dash; comment
            INSERT INTO notes VALUES (2, $$dollar; body$$);
            INSERT INTO notes SELECT 3 AS "id;alias", CONCAT('x', ';')
            """;

    private Connection connection;

    @BeforeEach
    void openDatabase() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:h2-lexing-" + System.nanoTime());
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        connection.close();
    }

    @Test
    void runsEachSplitStatementAsH2ReadsIt() throws SQLException {
        List<String> statements = StatementSplitter.split(SCRIPT, SqlDialect.H2);
        assertEquals(4, statements.size(), statements::toString);
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
        assertEquals(List.of("it's; here", "dollar; body", "x;"), textsWithIdsIn(1, 4, "%"));
    }

    @Test
    void bindsTemplateReferencesAsParameters() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : StatementSplitter.split(SCRIPT, SqlDialect.H2)) {
                statement.execute(sql);
            }
        }
        assertEquals(List.of("dollar; body"), textsWithIdsIn(2, 3, "%;%"));
    }

    private List<String> textsWithIdsIn(int minId, int maxIdExclusive, String pattern) throws SQLException {
        SqlTemplate template = SqlTemplate.parse("""
                SELECT `text;col` FROM notes -- ${notBound}
                WHERE id>=${minId} AND `text;col` LIKE ${pattern} AND id < ${maxId} ORDER BY id""",
                SqlDialect.H2);
        assertEquals(List.of("minId", "pattern", "maxId"), template.parameterNames());
        List<String> texts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(template.sql())) {
            statement.setInt(1, minId);
            statement.setString(2, pattern);
            statement.setInt(3, maxIdExclusive);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    texts.add(rows.getString(1));
                }
            }
        }
        return texts;
    }
}
