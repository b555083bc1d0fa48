package org.openinfolink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;

/**
 * {@code Transform into} from one source into another of a different kind, through the engine:
 * a PostgreSQL table of many column types, with hand-picked, NULL and generated rows (more than
 * one batch), is copied into MariaDB, which creates the table. Every created column's type and
 * every value of every row are checked against the source.
 */
class PostgresToMariaDbCopyTest {

    private static final int GENERATED_ROWS = 2500;

    /** The source's columns, their PostgreSQL declaration and the type MariaDB's copy gets. */
    private static final List<Column> COLUMNS = List.of(
            new Column("c_char", "char(10)", "char(10)"),
            new Column("c_varchar", "varchar(50)", "varchar(50)"),
            new Column("c_text", "text", "longtext"),
            new Column("c_smallint", "smallint", "smallint(6)"),
            new Column("c_integer", "integer", "int(11)"),
            new Column("c_bigint", "bigint", "bigint(20)"),
            new Column("c_numeric", "numeric(10,2)", "decimal(10,2)"),
            new Column("c_numeric_big", "numeric(30,10)", "decimal(30,10)"),
            new Column("c_numeric_free", "numeric", "decimal(65,30)"),
            new Column("c_real", "real", "float"),
            new Column("c_double", "double precision", "double"),
            new Column("c_boolean", "boolean", "tinyint(1)"),
            new Column("c_date", "date", "date"),
            new Column("c_time", "time", "time(6)"),
            new Column("c_timestamp", "timestamp", "datetime(6)"),
            new Column("c_timestamptz", "timestamptz", "datetime(6)"),
            new Column("c_bytea", "bytea", "longblob"),
            new Column("c_uuid", "uuid", "char(36)"),
            new Column("c_jsonb", "jsonb", "longtext"),
            new Column("c_int_array", "integer[]", "longtext"),
            new Column("c_interval", "interval", "longtext"));

    private record Column(String name, String postgres, String mariaDb) {
    }

    private static DatabaseServer postgres;
    private static DatabaseServer mariaDb;
    private static EngineHarness harness;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestDatabase.POSTGRESQL.server().createDatabase("copy_pg");
        mariaDb = TestDatabase.MARIADB.server().createDatabase("copy_maria");
        createSource();
        Map<String, DatabaseServer> sources = new LinkedHashMap<>();
        sources.put("pg", postgres);
        sources.put("maria", mariaDb);
        harness = new EngineHarness("pg-to-mariadb").app(sources, "");
        harness.scenario("CopyToMariaDb", """
                steps:
                  - opName: Transform
                    title: typed into MariaDB
                    opParams:
                      sourceName: pg
                      query: SELECT id, %s FROM typed_pg ORDER BY id
                      into: {sourceName: maria, tableName: typed_copy}
                """.formatted(columnList()));
        harness.start();
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static void createSource() throws SQLException {
        StringBuilder create = new StringBuilder("CREATE TABLE typed_pg (id integer PRIMARY KEY");
        COLUMNS.forEach(column -> create.append(", ").append(column.name()).append(' ').append(column.postgres()));
        create.append(')');
        String handPicked = """
                INSERT INTO typed_pg (id, %s) VALUES (1,
                  'abc', 'Grüße, 世界 😀', 'it''s; a "text"', -32768, 2147483647, 9223372036854775807,
                  12345678.90, 12345678901234567890.1234567890, 0.000000000000000000015, 1.1, 3.141592653589793,
                  true, '2026-11-29', '20:11:29.123456', '2026-11-29 20:11:29.5', '2026-11-29 20:11:29.123+01',
                  '\\x0102ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.50], "b": null}', '{1,2,3}',
                  '1 day 02:00:00')
                """.formatted(columnList());
        // md5(...)::uuid gives uuids of any version and variant, e.g. md5('3')::uuid (version 14, NCS
        // variant), which MariaDB's own uuid type would refuse: on MariaDB they are kept as char(36).
        String generated = """
                INSERT INTO typed_pg (id, %s)
                SELECT g, 'c' || g, 'välue ' || g, repeat('x', g %% 50) || g, (g %% 30000 - 15000)::smallint,
                  g * 7919, g * 1000000007::bigint, (g * 1.25)::numeric(10,2),
                  (g * 12345678.1234567891)::numeric(30,10), g::numeric / 1024, (g / 4.0)::real, g / 3.0::float8,
                  g %% 2 = 0, DATE '2026-01-01' + g, TIME '00:00' + g * INTERVAL '1.001 second',
                  TIMESTAMP '2026-11-29 20:11:29.123456' + g * INTERVAL '1 hour',
                  TIMESTAMPTZ '2026-11-29 20:11:29.5+01' + g * INTERVAL '1 day',
                  decode(lpad(to_hex(g), 8, '0'), 'hex'),
                  md5(g::text)::uuid,
                  jsonb_build_object('g', g, 'half', g / 2.0), ARRAY[g, -g], g * INTERVAL '1 minute'
                FROM generate_series(3, %d) AS g
                """.formatted(columnList(), GENERATED_ROWS + 2);
        EngineSuite.execute(postgres, create.toString(), handPicked, "INSERT INTO typed_pg (id) VALUES (2)", generated);
    }

    @Test
    void copiesEveryRowAndCreatesATypeForEveryColumn() throws Exception {
        EngineHarness.Finished done = harness.runCompleted("CopyToMariaDb", Map.of());

        assertEquals((long) GENERATED_ROWS + 2, done.trace().get(0).rows());
        Map<String, String> expectedTypes = new LinkedHashMap<>();
        expectedTypes.put("id", "int(11)");
        COLUMNS.forEach(column -> expectedTypes.put(column.name(), column.mariaDb()));
        assertEquals(expectedTypes, createdTypes());

        List<List<Object>> source = read(postgres, "typed_pg");
        List<List<Object>> copy = read(mariaDb, "typed_copy");
        assertEquals(GENERATED_ROWS + 2, copy.size(), "rows");
        for (int row = 0; row < source.size(); row++) {
            assertEquals(source.get(row), copy.get(row), "row " + source.get(row).get(0));
        }
        assertEquals(List.of(1, "abc", "Grüße, 世界 😀", "it's; a \"text\""), copy.get(0).subList(0, 4));
        assertEquals(List.of("2026-11-29T19:11:29.123", "0102ff"), copy.get(0).subList(16, 18),
                "timestamptz in UTC, bytes as they were");
    }

    private static Map<String, String> createdTypes() throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection connection = mariaDb.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE"
                     + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
                     + " ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, "typed_copy");
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return types;
    }

    /**
     * Every row of a table by id, each value read as the Java type both databases share for the
     * column and written as comparable text where the drivers differ (decimals without trailing
     * zeros, PostgreSQL's timestamps with zone in UTC as the copy holds them, bytes in hex,
     * fixed-length text without its padding).
     */
    private static List<List<Object>> read(DatabaseServer database, String table) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        boolean zoned = database.kind() == TestDatabase.POSTGRESQL;
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, " + columnList() + " FROM " + table
                     + " ORDER BY id")) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                row.add(rs.getInt("id"));
                for (Column column : COLUMNS) {
                    row.add(rs.getObject(column.name()) == null ? null : value(rs, column, zoned));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Object value(ResultSet rs, Column column, boolean zoned) throws SQLException {
        String name = column.name();
        return switch (name) {
            case "c_char" -> rs.getString(name).stripTrailing();
            case "c_smallint", "c_integer", "c_bigint" -> rs.getLong(name);
            case "c_numeric", "c_numeric_big", "c_numeric_free" ->
                    rs.getBigDecimal(name).stripTrailingZeros().toPlainString();
            case "c_real" -> rs.getFloat(name);
            case "c_double" -> rs.getDouble(name);
            case "c_boolean" -> rs.getBoolean(name);
            case "c_date" -> rs.getObject(name, LocalDate.class).toString();
            case "c_time" -> rs.getObject(name, LocalTime.class).toString();
            case "c_timestamp" -> rs.getObject(name, LocalDateTime.class).toString();
            case "c_timestamptz" -> zoned
                    ? rs.getObject(name, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)
                            .toLocalDateTime().toString()
                    : rs.getObject(name, LocalDateTime.class).toString();
            case "c_bytea" -> HexFormat.of().formatHex(rs.getBytes(name));
            default -> Objects.toString(rs.getString(name));
        };
    }

    private static String columnList() {
        return String.join(", ", COLUMNS.stream().map(Column::name).toList());
    }
}
