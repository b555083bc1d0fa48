package org.openinfolink.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * ISO-8601 text of dates and times, written straight into a {@link JsonGenerator} without
 * {@code DateTimeFormatter}: seconds are always present, the fraction only when it is not zero
 * (3, 6 or 9 digits, as {@code java.time} prints it), and an offset as {@code Z} or
 * {@code +01:00}. Years outside 0000–9999 fall back to {@code java.time}'s own text.
 */
final class IsoText {

    /** {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnn+hh:mm:ss} */
    private static final int MAX_LENGTH = 38;

    private IsoText() {
    }

    static void writeDate(LocalDate date, JsonGenerator gen) throws IOException {
        if (isFourDigitYear(date.getYear())) {
            char[] text = new char[10];
            gen.writeString(text, 0, putDate(text, 0, date));
        } else {
            gen.writeString(date.toString());
        }
    }

    static void writeTime(LocalTime time, JsonGenerator gen) throws IOException {
        char[] text = new char[18];
        gen.writeString(text, 0, putTime(text, 0, time));
    }

    static void writeTime(OffsetTime time, JsonGenerator gen) throws IOException {
        char[] text = new char[MAX_LENGTH];
        int end = putTime(text, 0, time.toLocalTime());
        gen.writeString(text, 0, putOffset(text, end, time.getOffset()));
    }

    static void writeDateTime(LocalDateTime dateTime, JsonGenerator gen) throws IOException {
        if (!isFourDigitYear(dateTime.getYear())) {
            gen.writeString(dateTime.toLocalDate() + "T" + timeText(dateTime.toLocalTime()));
            return;
        }
        char[] text = new char[MAX_LENGTH];
        gen.writeString(text, 0, putDateTime(text, dateTime));
    }

    static void writeDateTime(OffsetDateTime dateTime, JsonGenerator gen) throws IOException {
        if (!isFourDigitYear(dateTime.getYear())) {
            gen.writeString(dateTime.toLocalDate() + "T" + timeText(dateTime.toLocalTime())
                    + dateTime.getOffset().getId());
            return;
        }
        char[] text = new char[MAX_LENGTH];
        int end = putDateTime(text, dateTime.toLocalDateTime());
        gen.writeString(text, 0, putOffset(text, end, dateTime.getOffset()));
    }

    /**
     * Parses MariaDB's text of a {@code TIME} ({@code hh:mm:ss[.f]}) into a time of day, or
     * returns {@code null} when it is none: a negative duration or 24 hours and more.
     */
    static LocalTime parseTimeOfDay(String text) {
        int length = text.length();
        if (length < 8 || length == 9 || length > 18 || text.charAt(2) != ':' || text.charAt(5) != ':') {
            return null;
        }
        int hour = twoDigits(text, 0);
        int minute = twoDigits(text, 3);
        int second = twoDigits(text, 6);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nano = 0;
        if (length > 8) {
            if (text.charAt(8) != '.') {
                return null;
            }
            for (int i = 9; i < 18; i++) {
                int digit = i < length ? text.charAt(i) - '0' : 0;
                if (digit < 0 || digit > 9) {
                    return null;
                }
                nano = nano * 10 + digit;
            }
        }
        return LocalTime.of(hour, minute, second, nano);
    }

    private static String timeText(LocalTime time) {
        char[] text = new char[18];
        return new String(text, 0, putTime(text, 0, time));
    }

    private static boolean isFourDigitYear(int year) {
        return year >= 0 && year <= 9999;
    }

    private static int putDateTime(char[] text, LocalDateTime dateTime) {
        int end = putDate(text, 0, dateTime.toLocalDate());
        text[end] = 'T';
        return putTime(text, end + 1, dateTime.toLocalTime());
    }

    private static int putDate(char[] text, int at, LocalDate date) {
        int year = date.getYear();
        put2(text, at, year / 100);
        put2(text, at + 2, year % 100);
        text[at + 4] = '-';
        put2(text, at + 5, date.getMonthValue());
        text[at + 7] = '-';
        put2(text, at + 8, date.getDayOfMonth());
        return at + 10;
    }

    private static int putTime(char[] text, int at, LocalTime time) {
        put2(text, at, time.getHour());
        text[at + 2] = ':';
        put2(text, at + 3, time.getMinute());
        text[at + 5] = ':';
        put2(text, at + 6, time.getSecond());
        int end = at + 8;
        int nano = time.getNano();
        if (nano == 0) {
            return end;
        }
        text[end++] = '.';
        int digits;
        if (nano % 1_000_000 == 0) {
            nano /= 1_000_000;
            digits = 3;
        } else if (nano % 1_000 == 0) {
            nano /= 1_000;
            digits = 6;
        } else {
            digits = 9;
        }
        for (int i = end + digits - 1; i >= end; i--) {
            text[i] = (char) ('0' + nano % 10);
            nano /= 10;
        }
        return end + digits;
    }

    private static int putOffset(char[] text, int at, ZoneOffset offset) {
        String id = offset.getId();
        id.getChars(0, id.length(), text, at);
        return at + id.length();
    }

    private static void put2(char[] text, int at, int value) {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
    }

    private static int twoDigits(String text, int at) {
        int high = text.charAt(at) - '0';
        int low = text.charAt(at + 1) - '0';
        return high < 0 || high > 9 || low < 0 || low > 9 ? -1 : high * 10 + low;
    }
}
