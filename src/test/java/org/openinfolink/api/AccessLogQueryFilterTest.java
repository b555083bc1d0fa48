package org.openinfolink.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The access log's query mask, and the strict decoder it shares with request reading. */
class AccessLogQueryFilterTest {

    private static final String SECRET = "il_s3cretValue";

    @ParameterizedTest
    @ValueSource(strings = {"apiKey", "apikey", "APIKEY", "apiKe%79", "%61piKey", "%61%70%69%4b%65%79", "api%4Bey",
        "api%4bey", "access_token", "access%5Ftoken", "refresh_token", "client_secret", "CLIENT_SECRET",
        "password", "pass%77ord", "apiKey%20"})
    void masksEverySpellingOfASecretName(String name) {
        String masked = AccessLogQueryFilter.mask("appId=7&" + name + "=" + SECRET + "&jobId=j1");
        assertFalse(masked.contains(SECRET), masked);
        assertEquals("?appId=7&" + name + "=****&jobId=j1", masked);
    }

    @Test
    void masksAValueHiddenInAnEncodedName() {
        assertEquals("?****&appId=7", AccessLogQueryFilter.mask("apiKey%3D" + SECRET + "&appId=7"));
    }

    @Test
    void masksEveryOccurrenceAndKeepsTheRest() {
        assertEquals("?apiKey=****&apiKey=****&a=1&b=&c", AccessLogQueryFilter.mask("apiKey=x&apiKey=y&a=1&b=&c"));
        assertEquals("?appId=7&jobId=%zz&apiKey=****", AccessLogQueryFilter.mask("appId=7&jobId=%zz&apiKey=" + SECRET),
                "a malformed query string is still masked");
        assertEquals("?apiKeys=1&myapiKey=2", AccessLogQueryFilter.mask("apiKeys=1&myapiKey=2"));
        assertEquals("", AccessLogQueryFilter.mask(null));
        assertEquals("", AccessLogQueryFilter.mask(""));
    }

    @Test
    void masksSecretPathParametersInEverySegment() {
        assertEquals("/infolink/api/v1/getJobStatus.jsp;apiKey=****",
                AccessLogQueryFilter.maskPath("/infolink/api/v1/getJobStatus.jsp;apiKey=" + SECRET));
        assertEquals("/infolink;jsessionid=abc/api;%61piKey=****;x=1/v1/stop.jsp;****",
                AccessLogQueryFilter.maskPath("/infolink;jsessionid=abc/api;%61piKey=" + SECRET + ";x=1/v1/stop.jsp;"
                        + "apiKey%3D" + SECRET));
        assertEquals("/infolink/api/v1/getJobStatus.jsp", AccessLogQueryFilter.maskPath(
                "/infolink/api/v1/getJobStatus.jsp"), "a path without parameters is logged as it is");
        assertEquals("/a;;b=1/", AccessLogQueryFilter.maskPath("/a;;b=1/"));
    }

    @Test
    void decodesStrictly() {
        FormFields fields = FormFields.parse("a=1&b=x+y%20z&%61pi%4Bey=k&a=2&empty=&bare&e=%E2%82%AC", "query string");
        assertEquals("1", fields.get("a"), "the first value wins");
        assertEquals("a", fields.repeatedName());
        assertNull(FormFields.parse("a=1&b=2", "query string").repeatedName());
        assertEquals("apiKey", FormFields.parse("apiKey=1&b=2&%61piKey=3&b=4", "query string").repeatedName(),
                "the first name repeated, decoded");
        assertEquals("x y z", fields.get("b"));
        assertEquals("k", fields.get("apiKey"));
        assertEquals("", fields.get("empty"));
        assertEquals("", fields.get("bare"));
        assertEquals("\u20ac", fields.get("e"));
        assertNull(fields.get("missing"));
        assertEquals("v", FormFields.parse("k=v".getBytes(StandardCharsets.UTF_8), "form body").get("k"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a%=1", "a=%C3%28", "a=%FF", "a=%ED%A0%80",
        "ok=1&bad=%", "a=%%41"})
    void refusesMalformedEscapesWithoutNamingTheValue(String query) {
        ApiException refusal = assertThrows(ApiException.class, () -> FormFields.parse(query, "query string"));
        assertEquals(ErrorCode.INVALID_REQUEST, refusal.code());
        assertTrue(refusal.getMessage().startsWith("The query string is malformed"), refusal.getMessage());
        assertFalse(refusal.getMessage().contains(query), refusal.getMessage());
    }

    @Test
    void refusesAFormBodyThatIsNotUtf8() {
        ApiException refusal = assertThrows(ApiException.class,
                () -> FormFields.parse(new byte[] {'a', '=', (byte) 0xC3, '('}, "form body"));
        assertEquals(ErrorCode.INVALID_REQUEST, refusal.code());
    }
}
