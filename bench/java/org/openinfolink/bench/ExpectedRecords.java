package org.openinfolink.bench;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * What record {@code n} (1-based) of the benchmark's result holds (see {@link BenchDatabase}),
 * to check the records a reader captured. Stateless.
 */
final class ExpectedRecords {

    /** The column labels, in order. */
    static final String[] COLUMNS = {"id", "name", "amount", "ratio", "flag", "created"};

    private static final LocalDateTime EPOCH = LocalDateTime.of(2026, 1, 1, 0, 0);

    private ExpectedRecords() {
    }

    /**
     * Checks the JSON text of every column of record {@code ordinal}: numbers are compared by
     * value (H2 and PostgreSQL give {@code amount} different scales), the rest as text.
     *
     * @param values the record's values as the JSON parser's text, by column label
     * @throws IllegalStateException naming the record, the column and both values on a mismatch
     */
    static void check(long ordinal, Map<String, String> values) {
        require(ordinal, values, "id", Long.parseLong(values.get("id")) == ordinal);
        require(ordinal, values, "name", ("name-" + ordinal).equals(values.get("name")));
        require(ordinal, values, "amount",
                new BigDecimal(values.get("amount")).compareTo(BigDecimal.valueOf(ordinal, 2)) == 0);
        double ratio = Double.parseDouble(values.get("ratio"));
        require(ordinal, values, "ratio", Math.abs(ratio - ordinal / 3.0) <= 1e-9 * Math.max(1, ratio));
        require(ordinal, values, "flag", Boolean.toString(ordinal % 2 == 0).equals(values.get("flag")));
        String created = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(EPOCH.plusSeconds(ordinal));
        require(ordinal, values, "created", created.equals(values.get("created")));
    }

    private static void require(long ordinal, Map<String, String> values, String column, boolean ok) {
        if (!ok) {
            throw new IllegalStateException("record " + ordinal + ": unexpected " + column + " in " + values);
        }
    }
}
