package org.openinfolink.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits a SQL script into statements, as {@code RunSourceScript} runs them. A {@code ;} ends a
 * statement only outside string literals, quoted identifiers, comments and dollar-quoted bodies,
 * following the dialect's lexical rules (see {@link SqlLexer}).
 *
 * <p>There are no statement delimiters other than {@code ;}: a MariaDB compound statement
 * ({@code CREATE PROCEDURE ... BEGIN ...; END}) is split at its inner semicolons, as the
 * client-side {@code DELIMITER} command is not supported. Stateless and thread-safe.
 */
public final class StatementSplitter {

    private StatementSplitter() {
    }

    /**
     * The statements of {@code script}, in order. Each is trimmed of surrounding whitespace and
     * excludes its terminating {@code ;}; the last one needs no {@code ;}. Comments inside a
     * statement, including those before its first word, are kept. A statement that is empty or
     * holds only whitespace and comments is dropped; a MariaDB <code>/*! ... *&#47;</code>
     * executable comment counts as content.
     *
     * @return an unmodifiable list, empty when the script holds no statement
     * @throws SqlSyntaxException if a quote, block comment or dollar-quoted body is not closed;
     *     the message names it and the line where it starts
     */
    public static List<String> split(String script, SqlDialect dialect) {
        char[] text = script.toCharArray();
        SqlLexer lexer = new SqlLexer(text, dialect);
        List<String> statements = new ArrayList<>();
        int statementStart = 0;
        boolean hasContent = false;
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            switch (kind) {
                case SEMICOLON -> {
                    if (hasContent) {
                        statements.add(trimmed(text, statementStart, lexer.start()));
                    }
                    statementStart = lexer.end();
                    hasContent = false;
                }
                case WHITESPACE, LINE_COMMENT, BLOCK_COMMENT -> {
                }
                default -> hasContent = true;
            }
        }
        if (hasContent) {
            statements.add(trimmed(text, statementStart, text.length));
        }
        return Collections.unmodifiableList(statements);
    }

    private static String trimmed(char[] text, int from, int to) {
        int start = from;
        int end = to;
        while (start < end && Character.isWhitespace(text[start])) {
            start++;
        }
        while (end > start && Character.isWhitespace(text[end - 1])) {
            end--;
        }
        return new String(text, start, end - start);
    }
}
