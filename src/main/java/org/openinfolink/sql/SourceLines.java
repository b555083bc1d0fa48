package org.openinfolink.sql;

/** Line numbers for error messages. */
final class SourceLines {

    private SourceLines() {
    }

    /**
     * The line, counted from 1, holding the character at {@code offset}. A line ends at
     * {@code \n}, {@code \r\n} or a lone {@code \r}. Takes time proportional to {@code offset}:
     * meant for error messages, not for every token.
     */
    static int lineAt(char[] text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            char c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 == text.length || text[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }
}
