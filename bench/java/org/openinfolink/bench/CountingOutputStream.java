package org.openinfolink.bench;

import java.io.OutputStream;

/**
 * A sink that discards what is written and counts the bytes: where the baseline's JSON goes.
 * Not thread safe.
 */
final class CountingOutputStream extends OutputStream {

    private long bytes;

    @Override
    public void write(int b) {
        bytes++;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        bytes += length;
    }

    long bytes() {
        return bytes;
    }
}
