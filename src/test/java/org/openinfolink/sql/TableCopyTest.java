package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.openinfolink.testdb.TestDatabase;

/**
 * Copies the type matrix's typed table from one database into another the way
 * {@code Transform into} does: {@link TableDdl} creates the target table from the source
 * result's columns, and each column's codec reads the source values and binds them into one
 * batch inside one transaction. Then every column type and every value of the copy is checked.
 */
class TableCopyTest {

    static Stream<Arguments> sourceAndTarget() {
        return Stream.of(
                Arguments.of(TestDatabase.POSTGRESQL, TestDatabase.MARIADB),
                Arguments.of(TestDatabase.MARIADB, TestDatabase.POSTGRESQL),
                Arguments.of(TestDatabase.POSTGRESQL, TestDatabase.H2),
                Arguments.of(TestDatabase.MARIADB, TestDatabase.H2),
                Arguments.of(TestDatabase.H2, TestDatabase.POSTGRESQL),
                Arguments.of(TestDatabase.H2, TestDatabase.MARIADB),
                Arguments.of(TestDatabase.POSTGRESQL, TestDatabase.POSTGRESQL));
    }

    @ParameterizedTest(name = "{0} into {1}")
    @MethodSource("sourceAndTarget")
    void copiesEveryTypeAndValue(TestDatabase source, TestDatabase target) throws Exception {
        List<TypeCase> cases = casesOf(source);
        SqlDialect targetDialect = SqlDialect.valueOf(target.name());
        try (BasicDataSource from = source.server().createDatabase("copy_from").newPool();
             BasicDataSource to = target.server().createDatabase("copy_to").newPool()) {
            try (Connection connection = from.getConnection()) {
                TypedTable.create(connection, cases);
            }
            copy(from, TypedTable.select(TypedTable.NAME, cases), to, "copy_of_typed");

            List<ColumnInfo> copied;
            List<Map<String, String>> records;
            try (Connection connection = to.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(TypedTable.select("copy_of_typed", cases))) {
                copied = ColumnTypes.describe(rs.getMetaData(), targetDialect);
                records = TypedTable.fieldTexts(TypedTable.writeRecords(rs, copied));
            }
            assertEquals(2, records.size(), "rows");
            assertEquals("1", records.get(0).get("row_no"));
            assertEquals("2", records.get(1).get("row_no"));
            List<Executable> checks = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                TypeCase expected = cases.get(i);
                TypeCase.Copy copy = expected.copyOn(targetDialect);
                ColumnInfo column = copied.get(i + 1);
                checks.add(() -> assertEquals(copy.typeStr(), column.typeStr(), expected.column() + " type"));
                checks.add(() -> assertEquals(copy.json(), records.get(0).get(expected.column()),
                        expected.column() + " value"));
                checks.add(() -> assertEquals("null", records.get(1).get(expected.column()),
                        expected.column() + " NULL"));
            }
            assertAll(source + " into " + target, checks);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void quotesAnyColumnLabel(TestDatabase target) throws Exception {
        String select = "SELECT 1 AS \"with \"\"quotes\"\"\", 'x' AS \"back`tick\", 2 AS \"Mixed Case\"";
        try (BasicDataSource from = TestDatabase.POSTGRESQL.server().createDatabase("labels_from").newPool();
             BasicDataSource to = target.server().createDatabase("labels_to").newPool()) {
            copy(from, select, to, "labels");
            try (Connection connection = to.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT * FROM labels")) {
                List<ColumnInfo> columns = ColumnTypes.describe(rs.getMetaData(), SqlDialect.valueOf(target.name()));
                assertEquals(List.of("with \"quotes\"", "back`tick", "Mixed Case"),
                        columns.stream().map(ColumnInfo::name).toList());
                assertEquals(List.of(Map.of("with \"quotes\"", "1", "back`tick", TypeCase.str("x"), "Mixed Case", "2")),
                        TypedTable.fieldTexts(TypedTable.writeRecords(rs, columns)));
            }
        }
    }

    /** Creates {@code table} on {@code to} from the result of {@code select} on {@code from}, and fills it. */
    private static void copy(DataSource from, String select, DataSource to, String table) throws SQLException {
        try (Connection source = from.getConnection();
             Statement query = source.createStatement();
             ResultSet rs = query.executeQuery(select);
             Connection target = to.getConnection()) {
            SqlDialect targetDialect = SqlDialect.of(target);
            List<ColumnInfo> columns = ColumnTypes.describe(rs.getMetaData(), SqlDialect.of(source));
            ColumnCodec[] codecs = columns.stream().map(ColumnInfo::codec).toArray(ColumnCodec[]::new);
            try (Statement ddl = target.createStatement()) {
                ddl.execute(TableDdl.createTable(table, columns, targetDialect));
            }
            String insert = "INSERT INTO " + table + " VALUES ("
                    + String.join(", ", Collections.nCopies(codecs.length, "?")) + ")";
            target.setAutoCommit(false);
            try (PreparedStatement ps = target.prepareStatement(insert)) {
                while (rs.next()) {
                    for (int i = 0; i < codecs.length; i++) {
                        codecs[i].bind(ps, i + 1, codecs[i].read(rs, i + 1), targetDialect);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
                target.commit();
            } catch (SQLException | RuntimeException e) {
                target.rollback();
                throw e;
            } finally {
                target.setAutoCommit(true);
            }
        }
    }

    private static List<TypeCase> casesOf(TestDatabase database) {
        return switch (database) {
            case H2 -> H2TypesTest.CASES;
            case POSTGRESQL -> PostgresTypesTest.CASES;
            case MARIADB -> MariaDbTypesTest.CASES;
        };
    }
}
