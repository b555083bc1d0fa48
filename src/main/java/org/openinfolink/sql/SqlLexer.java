package org.openinfolink.sql;

import java.util.Objects;

/**
 * Cuts SQL text into tokens just finely enough to tell code from quoted text and comments. It
 * knows nothing of SQL grammar: statements and templates are built on top of it by
 * {@link StatementSplitter} and {@link SqlTemplate}.
 *
 * <p>The lexical rules by dialect (each is a field below):
 * <ul>
 *   <li>All: {@code '...'} strings with {@code ''} for a quote, {@code --} line comments,
 *       <code>/* *&#47;</code> block comments, {@code ${name}} template references.</li>
 *   <li>POSTGRESQL: {@code E'...'} strings honour backslash escapes, block comments nest,
 *       {@code "..."} are identifiers, dollar quoting.</li>
 *   <li>H2: block comments nest, {@code //} line comments, {@code "..."} and backtick
 *       identifiers, dollar quoting (as the H2 2.x parser does).</li>
 *   <li>MARIADB (default {@code sql_mode}): {@code '...'} and {@code "..."} are strings in which
 *       a backslash escapes the next character, backtick identifiers, {@code #} line comments,
 *       {@code --} starts a comment only when a space or control character (or the end) follows,
 *       <code>/*! *&#47;</code> executable comments, no dollar quoting.</li>
 *   <li>OTHER: standard SQL ({@code "..."} identifiers, non-nested block comments) plus dollar
 *       quoting.</li>
 * </ul>
 * A dollar quote opens with {@code $$} or {@code $tag$}, where the tag is a letter or {@code _}
 * followed by letters, digits or {@code _}, and closes with the same delimiter. A {@code $}
 * right after a letter, digit, {@code _} or {@code $} belongs to an identifier and opens
 * nothing; {@code $1} is a positional parameter.
 *
 * <p>One pass over the text without backtracking. Not thread-safe: a lexer belongs to one
 * caller and one text.
 */
final class SqlLexer {

    /** What a token is. Every character of the text belongs to exactly one token. */
    enum Kind {
        WHITESPACE,
        /** Any other run of characters outside quotes and comments. */
        CODE,
        SEMICOLON,
        /** <code>${</code> with the name characters that follow and the closing brace if present. */
        TEMPLATE_REFERENCE,
        /** A string literal with its quotes; an {@code E} prefix stays in the code token before it. */
        STRING,
        QUOTED_IDENTIFIER,
        /** A dollar-quoted body with its delimiters. */
        DOLLAR_QUOTED,
        /** A line comment, without the line break that ends it. */
        LINE_COMMENT,
        BLOCK_COMMENT,
        /** A MariaDB <code>/*! ... *&#47;</code> comment, which the server executes. */
        EXECUTABLE_COMMENT,
        END
    }

    private final char[] text;
    private final boolean backslashEscapesInStrings;
    private final boolean doubleQuotesDelimitStrings;
    private final boolean escapeStringPrefix;
    private final boolean backtickIdentifiers;
    private final boolean hashLineComments;
    private final boolean slashSlashLineComments;
    private final boolean dashDashNeedsSpace;
    private final boolean nestedBlockComments;
    private final boolean executableComments;
    private final boolean dollarQuoting;

    private int start;
    private int position;

    /** A lexer over {@code text}, which it reads but never changes. */
    SqlLexer(char[] text, SqlDialect dialect) {
        this.text = Objects.requireNonNull(text, "text");
        Objects.requireNonNull(dialect, "dialect");
        boolean mariaDb = dialect == SqlDialect.MARIADB;
        boolean postgreSql = dialect == SqlDialect.POSTGRESQL;
        boolean h2 = dialect == SqlDialect.H2;
        backslashEscapesInStrings = mariaDb;
        doubleQuotesDelimitStrings = mariaDb;
        escapeStringPrefix = postgreSql;
        backtickIdentifiers = mariaDb || h2;
        hashLineComments = mariaDb;
        slashSlashLineComments = h2;
        dashDashNeedsSpace = mariaDb;
        nestedBlockComments = postgreSql || h2;
        executableComments = mariaDb;
        dollarQuoting = !mariaDb;
    }

    /**
     * Moves to the next token.
     *
     * @return its kind, {@link Kind#END} once the text is exhausted
     * @throws SqlSyntaxException if a quote, block comment or dollar-quoted body is not closed
     */
    Kind next() {
        start = position;
        if (position == text.length) {
            return Kind.END;
        }
        char c = text[position];
        if (Character.isWhitespace(c)) {
            position = endOfWhitespace(position);
            return Kind.WHITESPACE;
        }
        switch (c) {
            case ';':
                position++;
                return Kind.SEMICOLON;
            case '\'':
                position = endOfString(position,
                        backslashEscapesInStrings || isEscapeStringPrefixed(position));
                return Kind.STRING;
            case '"':
                if (doubleQuotesDelimitStrings) {
                    position = endOfString(position, backslashEscapesInStrings);
                    return Kind.STRING;
                }
                position = endOfQuotedIdentifier(position);
                return Kind.QUOTED_IDENTIFIER;
            case '`':
                if (backtickIdentifiers) {
                    position = endOfQuotedIdentifier(position);
                    return Kind.QUOTED_IDENTIFIER;
                }
                break;
            case '-':
                if (startsDashDashComment(position)) {
                    position = endOfLine(position);
                    return Kind.LINE_COMMENT;
                }
                break;
            case '#':
                if (hashLineComments) {
                    position = endOfLine(position);
                    return Kind.LINE_COMMENT;
                }
                break;
            case '/':
                if (charAt(position + 1) == '*') {
                    position = endOfBlockComment(position);
                    return isExecutableComment(start) ? Kind.EXECUTABLE_COMMENT : Kind.BLOCK_COMMENT;
                }
                if (slashSlashLineComments && charAt(position + 1) == '/') {
                    position = endOfLine(position);
                    return Kind.LINE_COMMENT;
                }
                break;
            case '$':
                if (TemplateReferences.startsAt(text, position)) {
                    position = TemplateReferences.scanEnd(text, position);
                    return Kind.TEMPLATE_REFERENCE;
                }
                int delimiterEnd = dollarQuoting ? dollarDelimiterEnd(position) : -1;
                if (delimiterEnd > 0) {
                    position = endOfDollarQuoted(position, delimiterEnd);
                    return Kind.DOLLAR_QUOTED;
                }
                break;
            default:
                break;
        }
        position = endOfCode(position + 1);
        return Kind.CODE;
    }

    /** Where the current token starts. */
    int start() {
        return start;
    }

    /** Where the current token ends (exclusive). */
    int end() {
        return position;
    }

    private char charAt(int index) {
        return index < text.length ? text[index] : '\0';
    }

    private int endOfWhitespace(int from) {
        int i = from;
        while (i < text.length && Character.isWhitespace(text[i])) {
            i++;
        }
        return i;
    }

    private int endOfCode(int from) {
        int i = from;
        while (i < text.length && !mayStartOtherToken(text[i])) {
            i++;
        }
        return i;
    }

    private static boolean mayStartOtherToken(char c) {
        switch (c) {
            case ';', '\'', '"', '`', '-', '#', '/', '$':
                return true;
            default:
                return Character.isWhitespace(c);
        }
    }

    private boolean isEscapeStringPrefixed(int quote) {
        if (!escapeStringPrefix || quote == 0) {
            return false;
        }
        char prefix = text[quote - 1];
        return (prefix == 'E' || prefix == 'e') && (quote == 1 || !isIdentifierPart(text[quote - 2]));
    }

    private int endOfString(int open, boolean backslashEscapes) {
        char quote = text[open];
        int i = open + 1;
        while (i < text.length) {
            char c = text[i];
            if (c == '\\' && backslashEscapes) {
                i += 2;
            } else if (c == quote && charAt(i + 1) == quote) {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw unterminated("string literal", open);
    }

    private int endOfQuotedIdentifier(int open) {
        char quote = text[open];
        int i = open + 1;
        while (i < text.length) {
            if (text[i] == quote) {
                if (charAt(i + 1) != quote) {
                    return i + 1;
                }
                i++;
            }
            i++;
        }
        throw unterminated("quoted identifier", open);
    }

    private boolean startsDashDashComment(int at) {
        if (charAt(at + 1) != '-') {
            return false;
        }
        return !dashDashNeedsSpace || at + 2 == text.length || isSpaceOrControl(text[at + 2]);
    }

    private static boolean isSpaceOrControl(char c) {
        return c <= ' ' || Character.isWhitespace(c) || Character.isISOControl(c);
    }

    private int endOfLine(int from) {
        int i = from;
        while (i < text.length && text[i] != '\n' && text[i] != '\r') {
            i++;
        }
        return i;
    }

    private int endOfBlockComment(int open) {
        int depth = 1;
        int i = open + 2;
        while (i + 1 < text.length) {
            if (text[i] == '*' && text[i + 1] == '/') {
                i += 2;
                depth--;
                if (depth == 0) {
                    return i;
                }
            } else if (nestedBlockComments && text[i] == '/' && text[i + 1] == '*') {
                i += 2;
                depth++;
            } else {
                i++;
            }
        }
        throw unterminated("block comment", open);
    }

    private boolean isExecutableComment(int open) {
        return executableComments
                && (text[open + 2] == '!' || (text[open + 2] == 'M' && charAt(open + 3) == '!'));
    }

    /** The end of the {@code $$} or {@code $tag$} delimiter at {@code dollar}, or -1 if none. */
    private int dollarDelimiterEnd(int dollar) {
        if (dollar > 0 && isIdentifierPart(text[dollar - 1])) {
            return -1;
        }
        int i = dollar + 1;
        if (i < text.length && (Character.isLetter(text[i]) || text[i] == '_')) {
            i++;
            while (i < text.length && (Character.isLetterOrDigit(text[i]) || text[i] == '_')) {
                i++;
            }
        }
        return charAt(i) == '$' ? i + 1 : -1;
    }

    private int endOfDollarQuoted(int open, int delimiterEnd) {
        int delimiterLength = delimiterEnd - open;
        for (int i = delimiterEnd; i + delimiterLength <= text.length; i++) {
            if (text[i] == '$' && matchesDelimiter(i, open, delimiterLength)) {
                return i + delimiterLength;
            }
        }
        throw unterminated("dollar-quoted body " + new String(text, open, delimiterLength), open);
    }

    private boolean matchesDelimiter(int at, int open, int delimiterLength) {
        for (int k = 1; k < delimiterLength; k++) {
            if (text[at + k] != text[open + k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private SqlSyntaxException unterminated(String what, int open) {
        return new SqlSyntaxException(
                "unterminated " + what + " starting on line " + SourceLines.lineAt(text, open));
    }
}
