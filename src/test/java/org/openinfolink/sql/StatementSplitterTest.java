package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatementSplitterTest {

    private static List<String> split(String script, SqlDialect dialect) {
        return StatementSplitter.split(script, dialect);
    }

    private static String errorOf(String script, SqlDialect dialect) {
        return assertThrows(SqlSyntaxException.class, () -> split(script, dialect)).getMessage();
    }

    // --- rules common to every dialect ---

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void splitsAtSemicolonsAndKeepsATrailingStatementWithoutOne(SqlDialect dialect) {
        List<String> statements = split("SELECT 1;SELECT 2;\n  SELECT 3  \n", dialect);
        assertEquals(List.of("SELECT 1", "SELECT 2", "SELECT 3"), statements);
        assertThrows(UnsupportedOperationException.class, () -> statements.add("SELECT 4"));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void dropsEmptyAndWhitespaceOnlyStatements(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1"), split(";; \t;\n SELECT 1 ;\r\n\r\n; ", dialect));
        assertEquals(List.of(), split("", dialect));
        assertEquals(List.of(), split(" \n\t ", dialect));
        assertEquals(List.of(), split(";", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void dropsStatementsHoldingOnlyComments(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1"),
                split("-- header\n;\n/* nothing */ ;\nSELECT 1;\n-- trailing note\n", dialect));
        assertEquals(List.of(), split("/* a */ -- b\n", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void keepsCommentsInsideAStatement(SqlDialect dialect) {
        assertEquals(List.of("-- the first\nSELECT 1 /* one */ + 2", "SELECT 3 -- the last"),
                split("-- the first\nSELECT 1 /* one */ + 2;\nSELECT 3 -- the last", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void ignoresSemicolonInSingleQuotedStringWithDoubledQuote(SqlDialect dialect) {
        assertEquals(List.of("INSERT INTO t VALUES ('a''b;c', ';')", "SELECT 'a''b'"),
                split("INSERT INTO t VALUES ('a''b;c', ';'); SELECT 'a''b'", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void ignoresSemicolonInDoubleQuotesWithDoubledQuote(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1 AS \"a\"\";b\"", "SELECT 2"),
                split("SELECT 1 AS \"a\"\";b\"; SELECT 2", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void ignoresSemicolonInLineComment(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1 -- a; b", "SELECT 2"),
                split("SELECT 1 -- a; b\n; SELECT 2", dialect));
        assertEquals(List.of("SELECT 1 -- a; b", "SELECT 2"),
                split("SELECT 1 -- a; b\r\n; SELECT 2", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void ignoresSemicolonInBlockComment(SqlDialect dialect) {
        assertEquals(List.of("SELECT /* a;\n b; */ 1", "SELECT 2"),
                split("SELECT /* a;\n b; */ 1; SELECT 2", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void treatsAStringOnlyAfterItsQuote(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1", "SELECT 'don''t'"), split("SELECT 1;SELECT 'don''t'", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void doesNotTakeHyphensOfATemplateNameForAComment(SqlDialect dialect) {
        assertEquals(List.of("SELECT ${a--b}", "SELECT 2"), split("SELECT ${a--b}; SELECT 2", dialect));
    }

    // --- block comments: nested in PostgreSQL and H2 only ---

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2"})
    void nestsBlockComments(SqlDialect dialect) {
        assertEquals(List.of("/* a /* b; */ c; */ SELECT 1", "SELECT 2"),
                split("/* a /* b; */ c; */ SELECT 1; SELECT 2", dialect));
        assertEquals(List.of("SELECT 2"), split("/* a /* b */ c */; SELECT 2", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"MARIADB", "OTHER"})
    void doesNotNestBlockComments(SqlDialect dialect) {
        assertEquals(List.of("/* a /* b; */ c", "*/ SELECT 1", "SELECT 2"),
                split("/* a /* b; */ c; */ SELECT 1; SELECT 2", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2"})
    void reportsAnInnerBlockCommentLeftOpen(SqlDialect dialect) {
        assertEquals("unterminated block comment starting on line 2",
                errorOf("SELECT 1;\n/* a /* b */ SELECT 2;", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void doesNotCloseABlockCommentWithItsOwnOpeningSlash(SqlDialect dialect) {
        assertEquals("unterminated block comment starting on line 1", errorOf("/*/ SELECT 1;", dialect));
        assertEquals(List.of("/*/ x */ SELECT 1"), split("/*/ x */ SELECT 1", dialect));
    }

    // --- dollar quoting: all but MariaDB ---

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void keepsAFunctionBodyInDollarQuotesWhole(SqlDialect dialect) {
        String function = """
                CREATE FUNCTION add_one(i integer) RETURNS integer AS $$
                BEGIN
                    RETURN i + 1;
                END
                $$ LANGUAGE plpgsql""";
        assertEquals(List.of(function, "SELECT add_one(1)"),
                split(function + ";\nSELECT add_one(1);\n", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void closesATaggedDollarQuoteOnlyWithTheSameTag(SqlDialect dialect) {
        String function = "CREATE FUNCTION f() RETURNS text AS $body$ SELECT '$$;'; $$ ; $other$; $body$"
                + " LANGUAGE sql";
        assertEquals(List.of(function, "SELECT f()"), split(function + "; SELECT f()", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void readsQuotesAndCommentsInsideADollarBodyAsText(SqlDialect dialect) {
        assertEquals(List.of("SELECT $$ it's -- /* $$", "SELECT 2"),
                split("SELECT $$ it's -- /* $$; SELECT 2", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void takesDollarDigitsForAPositionalParameter(SqlDialect dialect) {
        assertEquals(List.of("PREPARE p AS SELECT $1 + $2", "EXECUTE p(1, 2)"),
                split("PREPARE p AS SELECT $1 + $2; EXECUTE p(1, 2)", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void takesADollarAfterAnIdentifierCharacterForPartOfTheIdentifier(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1 AS a$$b", "SELECT 2 AS c$d$"),
                split("SELECT 1 AS a$$b; SELECT 2 AS c$d$", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void opensADollarQuoteAfterPunctuation(SqlDialect dialect) {
        assertEquals(List.of("SELECT ($$;$$)", "SELECT 2"), split("SELECT ($$;$$); SELECT 2", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void reportsAnUnterminatedDollarBodyWithItsTagAndLine(SqlDialect dialect) {
        assertEquals("unterminated dollar-quoted body $fn$ starting on line 3",
                errorOf("SELECT 1;\n\nCREATE FUNCTION f() AS $fn$ BEGIN END; $$;\n", dialect));
        assertEquals("unterminated dollar-quoted body $$ starting on line 1",
                errorOf("SELECT $$ x; SELECT 2", dialect));
    }

    @Test
    void readsDollarsAsOrdinaryTextInMariaDb() {
        assertEquals(List.of("SELECT 1 AS $$", "SELECT ';$$'"),
                split("SELECT 1 AS $$; SELECT ';$$'", SqlDialect.MARIADB));
    }

    // --- PostgreSQL escape strings ---

    @Test
    void honoursBackslashEscapesInPostgreSqlEscapeStrings() {
        assertEquals(List.of("SELECT E'\\''", "SELECT e'a\\';b'", "SELECT E'a''b;c'", "SELECT 2"),
                split("SELECT E'\\''; SELECT e'a\\';b'; SELECT E'a''b;c'; SELECT 2", SqlDialect.POSTGRESQL));
    }

    @Test
    void takesBackslashLiterallyInPlainPostgreSqlStrings() {
        assertEquals(List.of("SELECT 'C:\\'", "SELECT 2"),
                split("SELECT 'C:\\'; SELECT 2", SqlDialect.POSTGRESQL));
    }

    @Test
    void needsTheEscapePrefixToStandAlone() {
        assertEquals(List.of("SELECT xe'a\\'", "SELECT 2"),
                split("SELECT xe'a\\'; SELECT 2", SqlDialect.POSTGRESQL));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"H2", "OTHER"})
    void hasNoEscapeStringsOutsidePostgreSql(SqlDialect dialect) {
        assertEquals("unterminated string literal starting on line 1",
                errorOf("SELECT E'\\''; SELECT 2", dialect));
    }

    // --- MariaDB ---

    @Test
    void honoursBackslashEscapesInMariaDbStrings() {
        assertEquals(List.of("INSERT INTO t VALUES ('it\\'s; fine')", "SELECT \"a\\\";b\"", "SELECT '\\\\'",
                        "SELECT 2"),
                split("INSERT INTO t VALUES ('it\\'s; fine'); SELECT \"a\\\";b\"; SELECT '\\\\'; SELECT 2",
                        SqlDialect.MARIADB));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void reportsMariaDbStyleBackslashEscapesElsewhereAsUnterminated(SqlDialect dialect) {
        assertEquals("unterminated string literal starting on line 2",
                errorOf("SELECT 1;\nINSERT INTO t VALUES ('it\\'s; fine'); SELECT 2", dialect));
    }

    @Test
    void readsHashAsALineCommentInMariaDb() {
        assertEquals(List.of("SELECT 1 # a; b", "SELECT 2"),
                split("SELECT 1 # a; b\n; SELECT 2", SqlDialect.MARIADB));
        assertEquals(List.of("SELECT 2"), split("# only a comment\n;\nSELECT 2", SqlDialect.MARIADB));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void readsHashAsCodeOutsideMariaDb(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1 # 2", "SELECT 3"), split("SELECT 1 # 2; SELECT 3", dialect));
    }

    @Test
    void needsASpaceAfterDashDashForAMariaDbComment() {
        assertEquals(List.of("SELECT 1--1", "SELECT 2"), split("SELECT 1--1;SELECT 2", SqlDialect.MARIADB));
        assertEquals(List.of("SELECT 1 --\ta;b\nSELECT 2"), split("SELECT 1 --\ta;b\nSELECT 2", SqlDialect.MARIADB));
        assertEquals(List.of("SELECT 1 --", "SELECT 2"), split("SELECT 1 --\n;SELECT 2", SqlDialect.MARIADB));
        assertEquals(List.of("SELECT 1 --"), split("SELECT 1 --", SqlDialect.MARIADB));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void readsDashDashAsACommentWithoutSpaceOutsideMariaDb(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1--1;SELECT 2\nSELECT 3"), split("SELECT 1--1;SELECT 2\nSELECT 3", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"MARIADB", "H2"})
    void ignoresSemicolonInBacktickIdentifiers(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1 AS `a;b`", "SELECT 2 AS `c``;d`"),
                split("SELECT 1 AS `a;b`; SELECT 2 AS `c``;d`", dialect));
        assertEquals("unterminated quoted identifier starting on line 1", errorOf("SELECT `a;", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "OTHER"})
    void readsBackticksAsCodeElsewhere(SqlDialect dialect) {
        assertEquals(List.of("SELECT `a", "b`"), split("SELECT `a;b`", dialect));
    }

    @Test
    void keepsMariaDbExecutableCommentsAsStatements() {
        assertEquals(List.of("/*!40101 SET NAMES utf8 */", "/*M!100100 SET x = 1 */", "SELECT 1"),
                split("/*!40101 SET NAMES utf8 */;\n/*M!100100 SET x = 1 */;\nSELECT 1;", SqlDialect.MARIADB));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void dropsExclamationCommentsElsewhere(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1"), split("/*!40101 SET NAMES utf8 */;\nSELECT 1;", dialect));
    }

    // --- H2 ---

    @Test
    void readsSlashSlashAsALineCommentInH2() {
        assertEquals(List.of("SELECT 1 // it's; fine", "SELECT 2"),
                split("SELECT 1 // it's; fine\n; SELECT 2", SqlDialect.H2));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "MARIADB", "OTHER"})
    void readsSlashSlashAsCodeOutsideH2(SqlDialect dialect) {
        assertEquals(List.of("SELECT 6 // 2", "SELECT 3"), split("SELECT 6 // 2; SELECT 3", dialect));
    }

    // --- errors ---

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void reportsAnUnterminatedStringWithTheLineWhereItStarts(SqlDialect dialect) {
        assertEquals("unterminated string literal starting on line 3",
                errorOf("SELECT 1;\nSELECT 2;\nSELECT 'abc;\n\nSELECT 4;", dialect));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\r", "\n"})
    void countsLinesWhateverTheLineBreak(String lineBreak) {
        String script = "SELECT 1;" + lineBreak + "SELECT 2;" + lineBreak + "SELECT 'x";
        assertEquals("unterminated string literal starting on line 3", errorOf(script, SqlDialect.POSTGRESQL));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void reportsAnUnterminatedQuotedIdentifier(SqlDialect dialect) {
        assertEquals("unterminated quoted identifier starting on line 2", errorOf("SELECT 1;\nSELECT \"a;", dialect));
    }

    @Test
    void reportsAnUnterminatedMariaDbDoubleQuotedString() {
        assertEquals("unterminated string literal starting on line 1",
                errorOf("SELECT \"a\\\"; SELECT 2", SqlDialect.MARIADB));
    }

    @Test
    void reportsAStringEndingInABackslashAsUnterminated() {
        assertEquals("unterminated string literal starting on line 1", errorOf("SELECT 'a\\", SqlDialect.MARIADB));
        assertEquals("unterminated string literal starting on line 1",
                errorOf("SELECT E'a\\'", SqlDialect.POSTGRESQL));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void reportsAnUnterminatedBlockComment(SqlDialect dialect) {
        assertEquals("unterminated block comment starting on line 2",
                errorOf("SELECT 1;\n  /* no end; SELECT 2;", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void endsALineCommentAtTheEndOfTheScript(SqlDialect dialect) {
        assertEquals(List.of("SELECT 1 -- done"), split("SELECT 1 -- done", dialect));
    }

    // --- size ---

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void splitsAFiveMegabyteScriptQuickly(SqlDialect dialect) {
        String statement = "INSERT INTO t (id, name, note) VALUES (42, 'it''s; a name', \"x\") -- c;\n"
                + "/* block; */ ";
        int count = 5_000_000 / statement.length() + 1;
        String script = (statement + ";\n").repeat(count);
        List<String> statements = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> split(script, dialect));
        assertEquals(count, statements.size());
        assertEquals(statement.strip(), statements.get(count - 1));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void splitsAHugeDollarBodyQuickly(SqlDialect dialect) {
        String body = "$ x; $$ $b; ".repeat(400_000);
        String script = "SELECT $body$" + body + "$body$; SELECT 2";
        List<String> statements = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> split(script, dialect));
        assertEquals(List.of("SELECT $body$" + body + "$body$", "SELECT 2"), statements);
    }
}
