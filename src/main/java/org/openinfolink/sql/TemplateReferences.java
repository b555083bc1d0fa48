package org.openinfolink.sql;

/**
 * The {@code ${name}} reference syntax shared by {@link SqlTemplate} and {@link TextTemplate}.
 * A name starts with an ASCII letter or {@code _} and continues with ASCII letters, digits,
 * {@code _}, {@code .} or {@code -}; it is closed by <code>}</code> with nothing in between.
 */
final class TemplateReferences {

    private static final int MAX_QUOTED_LENGTH = 40;

    private TemplateReferences() {
    }

    /** Whether <code>${</code> starts at {@code position}. */
    static boolean startsAt(char[] text, int position) {
        return position + 1 < text.length && text[position] == '$' && text[position + 1] == '{';
    }

    /**
     * How far a lexer consumes a reference starting at {@code position} (which holds
     * <code>${</code>): the name characters that follow, and the closing <code>}</code> if it
     * comes next.
     * This is the whole reference when it is well formed, and a prefix of it otherwise.
     */
    static int scanEnd(char[] text, int position) {
        int end = nameEnd(text, position);
        return end < text.length && text[end] == '}' ? end + 1 : end;
    }

    /**
     * The end (just past the <code>}</code>) of the well-formed reference starting at
     * {@code position} and lying before {@code limit}, or -1 when there is none.
     */
    static int wellFormedEnd(char[] text, int position, int limit) {
        int nameStart = position + 2;
        int nameEnd = nameEnd(text, position);
        boolean closed = nameEnd < limit && text[nameEnd] == '}';
        return closed && nameEnd > nameStart && isNameStart(text[nameStart]) ? nameEnd + 1 : -1;
    }

    /** The name of the well-formed reference spanning {@code [position, end)}. */
    static String name(char[] text, int position, int end) {
        return new String(text, position + 2, end - position - 3);
    }

    /**
     * Finds the first well-formed reference in {@code [from, to)}.
     *
     * @return its start, or -1 when there is none
     */
    static int findFirst(char[] text, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (startsAt(text, i) && wellFormedEnd(text, i, to) > 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Says why the <code>${</code> at {@code position} does not start a well-formed reference, with
     * its line.
     */
    static String malformedMessage(char[] text, int position) {
        int line = SourceLines.lineAt(text, position);
        int nameStart = position + 2;
        int closing = closingBraceOnSameLine(text, nameStart);
        if (closing < 0) {
            return "unclosed template reference " + quoted(text, position, nameEnd(text, position))
                    + " on line " + line + ": write ${name}";
        }
        if (closing == nameStart) {
            return "empty template reference ${} on line " + line;
        }
        return "invalid template name " + quoted(text, nameStart, closing) + " on line " + line
                + ": a name starts with a letter or _ and continues with letters, digits, _, . or -";
    }

    static boolean isNameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    private static int nameEnd(char[] text, int position) {
        int i = position + 2;
        while (i < text.length && isNamePart(text[i])) {
            i++;
        }
        return i;
    }

    private static int closingBraceOnSameLine(char[] text, int from) {
        for (int i = from; i < text.length && text[i] != '\n' && text[i] != '\r'; i++) {
            if (text[i] == '}') {
                return i;
            }
        }
        return -1;
    }

    private static String quoted(char[] text, int from, int to) {
        int length = to - from;
        return length <= MAX_QUOTED_LENGTH
                ? "'" + new String(text, from, length) + "'"
                : "'" + new String(text, from, MAX_QUOTED_LENGTH) + "...'";
    }
}
