package org.openinfolink.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The server's one JSON codec.
 *
 * <p>Both mappers are configured once here and never changed afterwards, so sharing them between
 * threads is safe. Reading is bounded (nesting depth, string and number lengths); decimals are read
 * as {@link java.math.BigDecimal} so no digit is lost; a document must hold exactly one value.
 * Large output is written with a {@link JsonGenerator} from {@link #generator(OutputStream)}, never
 * assembled as a string.
 */
public final class Json {

    /** Deepest nesting accepted in a request body or configuration file. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(1000)
            .maxStringLength(64 * 1024 * 1024)
            .build();

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(READ_CONSTRAINTS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    // doubles and floats as the shortest text that reads back the same number
                    // (Schubfach), several times faster than Double.toString on JDK 17
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .build())
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    /** The JSON mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A UTF-8 generator over {@code out}. Flushing or closing the generator writes what it holds
     * to {@code out} but neither flushes nor closes {@code out}: the caller owns the stream (a
     * servlet response flushed early goes out in chunks, without a {@code Content-Length}, even
     * when it is small).
     */
    public static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator generator = MAPPER.getFactory().createGenerator(out);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        generator.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        return generator;
    }
}
