package org.openinfolink.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one answer of the job API as a stream, as a client of a large result must: the envelope's
 * {@code status}, the scalar fields of {@code result} ({@code status}, {@code code},
 * {@code message}, {@code jobId}, the job's timestamps), and the {@code records} of every result
 * set, which are counted and checked but never held. Record {@code n} must have {@code id = n};
 * the first record and the last expected one are checked in full by
 * {@link ExpectedRecords}. Stateless; one parser per call.
 */
final class EnvelopeReader {

    /**
     * What an answer held.
     *
     * @param status  the envelope's status, {@code success} or {@code error}
     * @param fields  the scalar fields of {@code result} by name, as text
     * @param records the records of all result sets
     * @param bytes   the size of the answer
     */
    record Answer(String status, Map<String, String> fields, long records, long bytes) {

        /** A field of {@code result}, or null. */
        String field(String name) {
            return fields.get(name);
        }

        @Override
        public String toString() {
            return "{status=" + status + ", result=" + fields + ", records=" + records + "}";
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final int ENVELOPE_DEPTH = 1;
    private static final int RESULT_DEPTH = 2;

    private EnvelopeReader() {
    }

    /**
     * Reads {@code body} to its end and closes it.
     *
     * @param lastRecord the number of the last record of the expected result, checked in full
     */
    static Answer read(InputStream body, long lastRecord) throws IOException {
        CountingInputStream counted = new CountingInputStream(body);
        String status = null;
        Map<String, String> fields = new LinkedHashMap<>();
        long records = 0;
        try (counted; JsonParser parser = JSON.createParser(counted)) {
            int depth = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        String name = parser.currentName();
                        if (name.equals("records")) {
                            records += readRecords(parser, lastRecord);
                        } else if (depth == ENVELOPE_DEPTH && name.equals("status")) {
                            parser.nextToken();
                            status = parser.getText();
                        } else if (depth == RESULT_DEPTH && parser.nextToken().isScalarValue()) {
                            fields.put(name, parser.getText());
                        } else if (depth == RESULT_DEPTH) {
                            depth++;
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return new Answer(status, fields, records, counted.bytes());
    }

    /** Reads the value of a {@code records} field; returns the number of records. */
    private static long readRecords(JsonParser parser, long lastRecord) throws IOException {
        JsonToken start = parser.nextToken();
        if (start == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (start != JsonToken.START_ARRAY) {
            throw new IllegalStateException("records is not an array but " + start);
        }
        long ordinal = 0;
        Map<String, String> captured = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw new IllegalStateException("record " + (ordinal + 1) + " is not an object but " + token);
            }
            ordinal++;
            boolean capture = ordinal == 1 || ordinal == lastRecord;
            int columns = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                columns++;
                if (capture) {
                    captured.put(name, parser.getText());
                } else if (name.equals("id") && parser.getLongValue() != ordinal) {
                    throw new IllegalStateException("record " + ordinal + " has id " + parser.getText());
                }
                if (value.isStructStart()) {
                    parser.skipChildren();
                }
            }
            if (columns != ExpectedRecords.COLUMNS.length) {
                throw new IllegalStateException("record " + ordinal + " has " + columns + " columns");
            }
            if (capture) {
                ExpectedRecords.check(ordinal, captured);
                captured.clear();
            }
        }
        return ordinal;
    }
}
