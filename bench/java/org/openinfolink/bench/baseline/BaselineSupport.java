package org.openinfolink.bench.baseline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HexFormat;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;

/**
 * What the baseline servlets of the {@code small} part share (bench/README.md, part {@code small}):
 * the configuration from the context parameters of their {@code web.xml} (written by the
 * benchmark's {@code BaselineWebapp}), a DBCP2 pool on an H2 file database with the settings of
 * the server's {@code tomcat-conf/infolink.xml}, the API key check (SHA-256 of the key compared in
 * constant time with the stored hash, as the server's {@code ApiKeyVerifier} does), and the JSON
 * of a result set ({@code {"schema": [...], "records": [...]}}, CONTRACT section 6) written with
 * Jackson. The baseline webapp has only H2, Jackson and DBCP2 (with its pool and logging) in
 * {@code WEB-INF/lib} and none of the server's classes. Started and stopped by Tomcat as the
 * context's listener; thread safe once started.
 */
public final class BaselineSupport implements ServletContextListener {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String ATTRIBUTE = BaselineSupport.class.getName();
    private static final String API_KEY_HEADER = "X-API-Key";

    private BasicDataSource dataSource;
    private byte[] keySha256;
    private String appId;
    private String scenario;
    private String resultName;
    private String query;

    /** The instance of the context, started by Tomcat. */
    static BaselineSupport of(ServletContext context) {
        return (BaselineSupport) context.getAttribute(ATTRIBUTE);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        keySha256 = HexFormat.of().parseHex(required(context, "apiKeySha256"));
        appId = required(context, "appId");
        scenario = required(context, "scenario");
        resultName = required(context, "resultName");
        query = required(context, "query");
        BasicDataSource pool = new BasicDataSource();
        pool.setDriverClassName("org.h2.Driver");
        pool.setUrl(required(context, "jdbcUrl"));
        pool.setUsername("sa");
        pool.setPassword("");
        // as jdbc/infolink of tomcat-conf/infolink.xml
        pool.setInitialSize(0);
        pool.setMaxTotal(16);
        pool.setMaxIdle(4);
        pool.setMinIdle(0);
        pool.setMaxWait(java.time.Duration.ofSeconds(10));
        pool.setValidationQueryTimeout(java.time.Duration.ofSeconds(5));
        pool.setTestOnBorrow(true);
        dataSource = pool;
        context.setAttribute(ATTRIBUTE, this);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        try {
            dataSource.close();
        } catch (SQLException e) {
            event.getServletContext().log("closing the baseline's pool", e);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    String appId() {
        return appId;
    }

    String scenario() {
        return scenario;
    }

    String resultName() {
        return resultName;
    }

    String query() {
        return query;
    }

    /** The key of the request (the {@code X-API-Key} header, else {@code fallback}), if it is the client's. */
    boolean keyAccepted(String header, String fallback) {
        String key = header != null ? header : fallback;
        if (key == null || key.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(sha256(key), keySha256);
    }

    static String apiKeyHeader() {
        return API_KEY_HEADER;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    /** Runs the query and writes {@code {"name": ..., "result": {"schema": [...], "records": [...]}}}. */
    void writeResultSet(JsonGenerator json) throws IOException, SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(query);
             ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            int columns = meta.getColumnCount();
            String[] labels = new String[columns];
            int[] types = new int[columns];
            json.writeStartObject();
            json.writeStringField("name", resultName);
            json.writeObjectFieldStart("result");
            json.writeArrayFieldStart("schema");
            for (int i = 1; i <= columns; i++) {
                labels[i - 1] = meta.getColumnLabel(i);
                types[i - 1] = meta.getColumnType(i);
                String typeName = meta.getColumnTypeName(i).toLowerCase(Locale.ROOT);
                int precision = unlimited(types[i - 1], meta.getPrecision(i)) ? -1 : meta.getPrecision(i);
                int scale = meta.getScale(i);
                String standard = standard(types[i - 1]);
                json.writeStartObject();
                json.writeStringField("name", labels[i - 1]);
                json.writeBooleanField("updateable", false);
                json.writeObjectFieldStart("type");
                json.writeStringField("typeStr", typeStr(typeName, types[i - 1], precision, scale));
                json.writeStringField("name", typeName);
                json.writeNumberField("precision", precision);
                json.writeNumberField("scale", scale);
                json.writeEndObject();
                json.writeObjectFieldStart("typeStandard");
                json.writeStringField("typeStr", standard);
                json.writeStringField("name", standard);
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("records");
            while (rows.next()) {
                json.writeStartObject();
                for (int i = 1; i <= columns; i++) {
                    json.writeFieldName(labels[i - 1]);
                    writeValue(json, rows, i, types[i - 1]);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    /** The integer and text columns of the part's query; other types as text. */
    private static void writeValue(JsonGenerator json, ResultSet rows, int column, int type)
            throws IOException, SQLException {
        switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                long value = rows.getLong(column);
                if (rows.wasNull()) {
                    json.writeNull();
                } else {
                    json.writeNumber(value);
                }
            }
            default -> {
                String value = rows.getString(column);
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeString(value);
                }
            }
        }
    }

    /** A text length at H2's most (1,000,000,000 characters), as CONTRACT section 6 writes it: -1. */
    private static boolean unlimited(int type, int precision) {
        boolean text = type == Types.CHAR || type == Types.VARCHAR || type == Types.NCHAR || type == Types.NVARCHAR
                || type == Types.LONGVARCHAR || type == Types.CLOB;
        return text && precision >= 1_000_000_000;
    }

    private static String standard(int type) {
        return switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> "integer";
            case Types.DECIMAL, Types.NUMERIC -> "decimal";
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> "float";
            case Types.BOOLEAN, Types.BIT -> "boolean";
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.CLOB -> "text";
            default -> "other";
        };
    }

    private static String typeStr(String typeName, int type, int precision, int scale) {
        return switch (type) {
            case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR -> precision > 0
                    ? typeName + "(" + precision + ")" : typeName;
            case Types.DECIMAL, Types.NUMERIC -> typeName + "(" + precision + "," + scale + ")";
            default -> typeName;
        };
    }

    /** An error answer of the server's shape: {@code {"result": {"message", "code"}, "status": "error"}}. */
    static void error(HttpServletResponse response, int httpStatus, String code, String message) throws IOException {
        response.setStatus(httpStatus);
        response.setContentType("application/json;charset=UTF-8");
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(response.getOutputStream())) {
            json.writeStartObject();
            json.writeObjectFieldStart("result");
            json.writeStringField("message", message);
            json.writeStringField("code", code);
            json.writeEndObject();
            json.writeStringField("status", "error");
            json.writeEndObject();
        }
    }

    private static String required(ServletContext context, String name) {
        String value = context.getInitParameter(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("the baseline's web.xml has no context-param " + name);
        }
        return value;
    }
}
