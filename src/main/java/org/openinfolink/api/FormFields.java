package org.openinfolink.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of a query string or an {@code application/x-www-form-urlencoded} body, decoded by
 * the server itself rather than by {@code getParameter}: Tomcat logs a field it cannot decode
 * together with its value, which may be a key. {@code +} is a space, {@code %XX} a byte, and the
 * bytes are UTF-8. The first occurrence of a name wins, as with {@code getParameter}, and the
 * first name given twice is kept for callers that refuse repeats (OAuth2's token endpoint).
 * Immutable and thread safe.
 */
public final class FormFields {

    /**
     * Field names whose values are secrets, lower case: masked in the access log, never logged.
     * Compared with the decoded name, ignoring case.
     */
    public static final Set<String> SECRET_NAMES =
            Set.of("apikey", "access_token", "refresh_token", "client_secret", "password");

    private static final FormFields EMPTY = new FormFields(Map.of(), null);

    private final Map<String, String> fields;
    private final String repeatedName;

    private FormFields(Map<String, String> fields, String repeatedName) {
        this.fields = fields;
        this.repeatedName = repeatedName;
    }

    public static FormFields empty() {
        return EMPTY;
    }

    /**
     * Decodes a raw query string (as {@code getQueryString()} gives it) or form body.
     *
     * @param raw  the encoded text, or null for none
     * @param what what it is, for the message: "query string" or "form body"
     * @throws ApiException INVALID_REQUEST, naming neither a field nor a value, when a
     *                      percent-escape is malformed or the bytes are not UTF-8
     */
    public static FormFields parse(String raw, String what) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String repeated = null;
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            Optional<String> decodedName = decode(name);
            Optional<String> decodedValue = decode(value);
            if (decodedName.isEmpty() || decodedValue.isEmpty()) {
                throw malformed(what);
            }
            if (fields.putIfAbsent(decodedName.get(), decodedValue.get()) != null && repeated == null) {
                repeated = decodedName.get();
            }
        }
        return new FormFields(Collections.unmodifiableMap(fields), repeated);
    }

    /**
     * Decodes a form body: its bytes must be UTF-8 (percent-escapes aside, they are ASCII).
     *
     * @throws ApiException INVALID_REQUEST as {@link #parse(String, String)}
     */
    public static FormFields parse(byte[] body, String what) {
        try {
            return parse(strictUtf8().decode(ByteBuffer.wrap(body)).toString(), what);
        } catch (CharacterCodingException e) {
            throw malformed(what);
        }
    }

    /** The first value of {@code name}; null when absent. */
    public String get(String name) {
        return fields.get(name);
    }

    /** The first name that is given more than once, decoded; null when every name is given once. */
    public String repeatedName() {
        return repeatedName;
    }

    /** Every field, first values only, in their order. */
    public Map<String, String> asMap() {
        return fields;
    }

    /** Whether {@code rawName}, still encoded, names a secret once decoded (leniently). */
    static boolean isSecretName(String rawName) {
        String decoded = decode(rawName).orElseGet(() -> lenientDecode(rawName)).toLowerCase(Locale.ROOT).trim();
        int equals = decoded.indexOf('=');
        return SECRET_NAMES.contains(equals < 0 ? decoded : decoded.substring(0, equals).trim());
    }

    /** The decoded text, or empty when an escape is malformed or the bytes are not UTF-8. */
    static Optional<String> decode(String encoded) {
        if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
            return Optional.of(encoded);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return Optional.of(strictUtf8().decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Decodes what can be decoded and keeps a malformed escape as it is: for masking only. */
    private static String lenientDecode(String encoded) {
        StringBuilder text = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
            int low = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
            if (c == '%' && high >= 0 && low >= 0) {
                text.append((char) (high * 16 + low));
                i += 2;
            } else {
                text.append(c == '+' ? ' ' : c);
            }
        }
        return text.toString();
    }

    private static ApiException malformed(String what) {
        String message = "The " + what
                + " is malformed: a percent-escape is not % and two hex digits, or the bytes are not UTF-8.";
        return new MalformedRequestException(message, message);
    }
}
