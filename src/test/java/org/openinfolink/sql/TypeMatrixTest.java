package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;

/**
 * The type matrix on one database: a table with a column of every common type, one row of
 * known values and one of NULLs, read back through {@link ColumnTypes} and the codecs. Each
 * subclass names the database and its {@link TypeCase}s; every column is a test of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TypeMatrixTest {

    /** The database under test. */
    abstract TestDatabase database();

    /** The columns of the typed table. */
    abstract List<TypeCase> cases();

    protected BasicDataSource pool;
    private List<ColumnInfo> columns;
    private List<Map<String, String>> records;
    private List<Object[]> readValues;

    @BeforeAll
    void readTypedTable() throws Exception {
        DatabaseServer server = database().server().createDatabase("types");
        pool = server.newPool();
        try (Connection connection = pool.getConnection()) {
            TypedTable.create(connection, cases());
            String select = TypedTable.select(TypedTable.NAME, cases());
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(select)) {
                columns = ColumnTypes.describe(rs.getMetaData(), SqlDialect.of(connection));
                records = TypedTable.fieldTexts(TypedTable.writeRecords(rs, columns));
            }
            readValues = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(select)) {
                while (rs.next()) {
                    Object[] row = new Object[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = columns.get(i).codec().read(rs, i + 1);
                    }
                    readValues.add(row);
                }
            }
        }
    }

    @AfterAll
    void closePool() throws Exception {
        if (pool != null) {
            pool.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> describesEveryColumn() {
        return eachCase((index, expected) -> {
            ColumnInfo column = columns.get(index);
            TypeCase.Expected is = expected.expected();
            ColumnInfo wanted = new ColumnInfo(expected.column(), is.typeName(), is.typeStr(), is.precision(),
                    is.scale(), column.jdbcType(), is.standardType(), is.typeStr().contains("with time zone"),
                    is.typeStr().endsWith(" unsigned"), SqlDialect.valueOf(database().name()));
            assertEquals(wanted, column);
        });
    }

    @TestFactory
    Stream<DynamicTest> writesEveryValueAsJson() {
        return eachCase((index, expected) -> {
            assertEquals(expected.json(), records.get(0).get(expected.column()), "known value");
            assertEquals("null", records.get(1).get(expected.column()), "NULL");
        });
    }

    @TestFactory
    Stream<DynamicTest> readsEveryValueAsJavaValue() {
        return eachCase((index, expected) -> {
            ColumnInfo column = columns.get(index);
            assertInstanceOf(javaType(column), readValues.get(0)[index], "known value");
            assertNull(readValues.get(1)[index], "NULL");
        });
    }

    /** The Java type {@link ColumnCodec#read} gives for a column. */
    static Class<?> javaType(ColumnInfo column) {
        return switch (column.standardType()) {
            case TEXT, OTHER -> String.class;
            case INTEGER -> column.unsigned() && column.jdbcType() == Types.BIGINT ? BigDecimal.class : Long.class;
            case DECIMAL -> BigDecimal.class;
            case FLOAT -> column.jdbcType() == Types.REAL ? Float.class : Double.class;
            case BOOLEAN -> Boolean.class;
            case DATE -> LocalDate.class;
            case TIME -> column.withTimeZone() ? OffsetTime.class : LocalTime.class;
            case DATETIME -> column.withTimeZone() ? OffsetDateTime.class : LocalDateTime.class;
            case BINARY -> byte[].class;
        };
    }

    /** The described column named {@code name}. */
    protected ColumnInfo describedColumn(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private interface CaseCheck {
        void check(int index, TypeCase expected) throws Exception;
    }

    private Stream<DynamicTest> eachCase(CaseCheck check) {
        List<TypeCase> cases = cases();
        return IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(
                cases.get(i).column() + " " + cases.get(i).declaration(),
                () -> check.check(i + 1, cases.get(i))));
    }
}
