package org.openinfolink.sql;

import java.util.Locale;

/**
 * The portable column types of a result set's {@code typeStandard} (contract section 6). They
 * decide how a value is written to JSON and which column type {@link TableDdl} gives a copy.
 */
public enum StandardType {
    TEXT,
    INTEGER,
    DECIMAL,
    FLOAT,
    BOOLEAN,
    DATE,
    TIME,
    DATETIME,
    BINARY,
    OTHER;

    private final String jsonName = name().toLowerCase(Locale.ROOT);

    /** The name in JSON: {@code text}, {@code integer}, ... {@code other}. */
    public String jsonName() {
        return jsonName;
    }
}
