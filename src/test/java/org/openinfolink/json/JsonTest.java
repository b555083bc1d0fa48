package org.openinfolink.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void aDoubleIsWrittenAsTheShortestTextThatReadsBackTheSameNumber() throws IOException {
        // JDK 17's Double.toString gives 9.999999999999999E22 and 2.82879384806159008E17 here
        assertEquals("[1.0E23,2.82879384806159E17,0.1,0.3333333333333333,4.9E-324,-0.0]",
                written(1.0E23, 2.82879384806159E17, 0.1, 1.0 / 3, Double.MIN_VALUE, -0.0));
    }

    @Test
    void everyWrittenDoubleReadsBackAsTheSameNumber() throws IOException {
        double[] values = {1.0E23, 2.82879384806159E17, 4.8726570057E288, 1.18575755E-316, 123456.789, 1e-7};
        double[] read = Json.mapper().readValue(written(values), double[].class);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToLongBits(values[i]), Double.doubleToLongBits(read[i]), "value " + i);
        }
    }

    private static String written(double... values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.generator(out)) {
            json.writeStartArray();
            for (double value : values) {
                json.writeNumber(value);
            }
            json.writeEndArray();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
