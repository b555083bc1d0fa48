package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlTemplateTest {

    private static String errorOf(String sql, SqlDialect dialect) {
        return assertThrows(SqlSyntaxException.class, () -> SqlTemplate.parse(sql, dialect)).getMessage();
    }

    // --- binding ---

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void replacesEachReferenceWithABindMarker(SqlDialect dialect) {
        SqlTemplate template = SqlTemplate.parse("""
                SELECT id, company_name FROM companies
                WHERE country = ${country} AND id >= ${minId} ORDER BY id""", dialect);
        assertEquals("""
                SELECT id, company_name FROM companies
                WHERE country = ? AND id >= ? ORDER BY id""", template.sql());
        assertEquals(List.of("country", "minId"), template.parameterNames());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void bindsReferencesAdjacentToOtherText(SqlDialect dialect) {
        SqlTemplate template = SqlTemplate.parse("SELECT x FROM t WHERE id>=${minId}AND(${a}${b})", dialect);
        assertEquals("SELECT x FROM t WHERE id>=?AND(??)", template.sql());
        assertEquals(List.of("minId", "a", "b"), template.parameterNames());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void bindsARepeatedNameAtEachReference(SqlDialect dialect) {
        SqlTemplate template = SqlTemplate.parse("SELECT ${a}, ${b}, ${a}", dialect);
        assertEquals("SELECT ?, ?, ?", template.sql());
        assertEquals(List.of("a", "b", "a"), template.parameterNames());
        assertThrows(UnsupportedOperationException.class, () -> template.parameterNames().add("c"));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void acceptsDotsAndHyphensInsideNames(SqlDialect dialect) {
        SqlTemplate template = SqlTemplate.parse("SELECT ${app.region-code}, ${_x1}", dialect);
        assertEquals("SELECT ?, ?", template.sql());
        assertEquals(List.of("app.region-code", "_x1"), template.parameterNames());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void leavesSqlWithoutReferencesUnchanged(SqlDialect dialect) {
        String sql = "SELECT 'a;b', \"c\" /* d */ FROM t -- e\nWHERE f = ?; SELECT 2";
        SqlTemplate template = SqlTemplate.parse(sql, dialect);
        assertEquals(sql, template.sql());
        assertEquals(List.of(), template.parameterNames());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void leavesAnExistingQuestionMarkAsItIs(SqlDialect dialect) {
        SqlTemplate template = SqlTemplate.parse("SELECT ? , ${a}", dialect);
        assertEquals("SELECT ? , ?", template.sql());
        assertEquals(List.of("a"), template.parameterNames());
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void readsADollarWithoutBraceAsText(SqlDialect dialect) {
        SqlTemplate template = SqlTemplate.parse("SELECT $1, price$, '$', $$ $ { $$ FROM t WHERE a = ${a}", dialect);
        assertEquals("SELECT $1, price$, '$', $$ $ { $$ FROM t WHERE a = ?", template.sql());
        assertEquals(List.of("a"), template.parameterNames());
    }

    @Test
    void readsADollarWithoutBraceAsTextInMariaDb() {
        SqlTemplate template = SqlTemplate.parse("SELECT 5 $, '$' AS `$x`, $$ FROM t WHERE a = ${a}",
                SqlDialect.MARIADB);
        assertEquals("SELECT 5 $, '$' AS `$x`, $$ FROM t WHERE a = ?", template.sql());
    }

    // --- comments ---

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void leavesReferencesInCommentsUnboundAndUntouched(SqlDialect dialect) {
        SqlTemplate template = SqlTemplate.parse(
                "SELECT 1 -- ${x}\n/* ${y} and '${unclosed */ + ${z}", dialect);
        assertEquals("SELECT 1 -- ${x}\n/* ${y} and '${unclosed */ + ?", template.sql());
        assertEquals(List.of("z"), template.parameterNames());
    }

    @Test
    void leavesReferencesInMariaDbHashCommentsUntouched() {
        SqlTemplate template = SqlTemplate.parse("SELECT ${a} # ${b}\n", SqlDialect.MARIADB);
        assertEquals("SELECT ? # ${b}\n", template.sql());
        assertEquals(List.of("a"), template.parameterNames());
    }

    @Test
    void leavesReferencesInH2SlashSlashCommentsUntouched() {
        SqlTemplate template = SqlTemplate.parse("SELECT ${a} // ${b}\n", SqlDialect.H2);
        assertEquals("SELECT ? // ${b}\n", template.sql());
    }

    @Test
    void bindsAReferenceAfterHashOutsideMariaDb() {
        assertEquals("SELECT 1 # ?", SqlTemplate.parse("SELECT 1 # ${b}", SqlDialect.POSTGRESQL).sql());
    }

    // --- refusals ---

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void refusesAReferenceInsideAString(SqlDialect dialect) {
        assertEquals("${country} is inside a quoted string on line 2:"
                        + " write it without quotes, it is bound as a parameter",
                errorOf("SELECT *\nFROM t WHERE country = '${country}'", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void reportsTheLineOfTheReferenceInAMultiLineString(SqlDialect dialect) {
        assertEquals("${b} is inside a quoted string on line 3:"
                        + " write it without quotes, it is bound as a parameter",
                errorOf("SELECT 'a\n\n${b}'", dialect));
    }

    @Test
    void refusesAReferenceInsideAPostgreSqlEscapeString() {
        assertEquals("${x} is inside a quoted string on line 1:"
                        + " write it without quotes, it is bound as a parameter",
                errorOf("SELECT E'\\'${x}'", SqlDialect.POSTGRESQL));
    }

    @Test
    void refusesAReferenceInsideAMariaDbDoubleQuotedString() {
        assertEquals("${x} is inside a quoted string on line 1:"
                        + " write it without quotes, it is bound as a parameter",
                errorOf("SELECT \"a\\\"${x}\"", SqlDialect.MARIADB));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void refusesAReferenceInsideADollarQuotedBody(SqlDialect dialect) {
        assertEquals("${limit} is inside a dollar-quoted body on line 2: a parameter cannot be bound there",
                errorOf("CREATE FUNCTION f() AS $fn$\nSELECT ${limit} $fn$ LANGUAGE sql", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"POSTGRESQL", "H2", "OTHER"})
    void refusesAReferenceInsideADoubleQuotedIdentifier(SqlDialect dialect) {
        assertEquals("${x} cannot be used as an identifier (line 1): it is bound as a value,"
                        + " never pasted into the SQL",
                errorOf("SELECT \"${x}\" FROM t", dialect));
    }

    @ParameterizedTest
    @EnumSource(value = SqlDialect.class, names = {"MARIADB", "H2"})
    void refusesAReferenceInsideABacktickIdentifier(SqlDialect dialect) {
        assertEquals("${table} cannot be used as an identifier (line 2): it is bound as a value,"
                        + " never pasted into the SQL",
                errorOf("SELECT 1\nFROM `${table}`", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void readsAMalformedReferenceInsideAStringAsText(SqlDialect dialect) {
        SqlTemplate template = SqlTemplate.parse("SELECT 'cost: ${', '${a b}', '${}' WHERE a = ${a}", dialect);
        assertEquals("SELECT 'cost: ${', '${a b}', '${}' WHERE a = ?", template.sql());
    }

    // --- malformed references ---

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void reportsAnUnclosedReference(SqlDialect dialect) {
        assertEquals("unclosed template reference '${country' on line 2: write ${name}",
                errorOf("SELECT 1\nWHERE c = ${country AND d = 2", dialect));
        assertEquals("unclosed template reference '${' on line 1: write ${name}", errorOf("SELECT ${", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void reportsAnInvalidName(SqlDialect dialect) {
        String rule = ": a name starts with a letter or _ and continues with letters, digits, _, . or -";
        assertEquals("invalid template name '1abc' on line 1" + rule, errorOf("SELECT ${1abc}", dialect));
        assertEquals("invalid template name 'a b' on line 3" + rule, errorOf("SELECT\n1\n+ ${a b}", dialect));
        assertEquals("invalid template name '.x' on line 1" + rule, errorOf("SELECT ${.x}", dialect));
        assertEquals("invalid template name 'é' on line 1" + rule, errorOf("SELECT ${é}", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void reportsAnEmptyReference(SqlDialect dialect) {
        assertEquals("empty template reference ${} on line 1", errorOf("SELECT ${}", dialect));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void reportsUnterminatedQuotesAsTheSplitterDoes(SqlDialect dialect) {
        assertEquals("unterminated string literal starting on line 2", errorOf("SELECT ${a},\n'x", dialect));
    }

    // --- referencedNames and containsScriptTemplate ---

    @Test
    void findsEveryWellFormedReferenceAnywhere() {
        assertEquals(List.of("name", "a.b", "c", "quoted", "d-e"),
                List.copyOf(SqlTemplate.referencedNames(
                        "Hi ${name}, ${a.b} and ${name} $${c} ${bad name} ${} ${1x} ${ '${quoted}' ${${d-e}}")));
    }

    @Test
    void findsNoNameInTextWithoutReferences() {
        assertEquals(Set.of(), SqlTemplate.referencedNames("plain $ text $$ with {braces} and ${"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$((1 + 2))", "SELECT $((vars.x)) FROM t", "'$(('"})
    void recognisesTheOriginalScriptTemplateSyntax(String text) {
        assertTrue(SqlTemplate.containsScriptTemplate(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"${a}", "$(a)", "$ ((a))", "$(", "plain"})
    void doesNotMistakeOtherDollarsForScriptTemplates(String text) {
        assertFalse(SqlTemplate.containsScriptTemplate(text));
    }
}
