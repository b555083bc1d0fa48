package org.openinfolink.sql;

/**
 * SQL or template text that cannot be lexed: an unterminated quote, comment or dollar-quoted
 * body, or a template reference that is malformed or stands where it cannot be bound. The
 * message is meant for the person who wrote the text: it says what is wrong and on which line
 * (counted from 1 in the text that was given).
 */
public class SqlSyntaxException extends IllegalArgumentException {

    public SqlSyntaxException(String message) {
        super(message);
    }
}
