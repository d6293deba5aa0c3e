package io.streamfleet.cep.operator;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte layout of {@link java.io.DataOutputStream} / {@link java.io.DataInputStream} (big-endian numbers,
 * modified UTF-8 strings with a two-byte length) written into and read from a plain array, without their per-call
 * stream overhead: key states are decoded and re-encoded at every evaluation of their key, and the stream classes were
 * a quarter of the stream thread's time (docs/cep-detector.md, "Per-record cost"). The bytes are exactly those of the
 * stream classes, so state written by either reads with either — a test pins that.
 */
final class StoreBytes {

    private StoreBytes() {
    }

    /** Appends to a growing array. */
    static final class Writer {

        private byte[] buf;
        private int pos;

        Writer(int initialCapacity) {
            buf = new byte[Math.max(16, initialCapacity)];
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        void writeByte(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
        }

        void writeBoolean(boolean v) {
            writeByte(v ? 1 : 0);
        }

        void writeInt(int v) {
            ensure(4);
            buf[pos++] = (byte) (v >>> 24);
            buf[pos++] = (byte) (v >>> 16);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
        }

        void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (v >>> shift);
            }
        }

        void writeDouble(double v) {
            writeLong(Double.doubleToLongBits(v));
        }

        /** Modified UTF-8 as {@link java.io.DataOutput#writeUTF}: 0 and chars above 0x7F take 2 or 3 bytes. */
        void writeUTF(String s) {
            int chars = s.length();
            int encoded = 0;
            for (int i = 0; i < chars; i++) {
                char c = s.charAt(i);
                encoded += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
            }
            if (encoded > 65_535) {
                throw new UncheckedIOException(new UTFDataFormatException("encoded string too long: " + encoded
                        + " bytes"));
            }
            ensure(2 + encoded);
            buf[pos++] = (byte) (encoded >>> 8);
            buf[pos++] = (byte) encoded;
            for (int i = 0; i < chars; i++) {
                char c = s.charAt(i);
                if (c >= 0x0001 && c <= 0x007F) {
                    buf[pos++] = (byte) c;
                } else if (c <= 0x07FF) {
                    buf[pos++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
                    buf[pos++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    buf[pos++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
                    buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[pos++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }

        /** Appends bytes as they are (an event's stored form copied from the last time it was written). */
        void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        void write(byte[] bytes, int from, int length) {
            ensure(length);
            System.arraycopy(bytes, from, buf, pos, length);
            pos += length;
        }

        /** Bytes written so far: the offset in {@link #toByteArray()} the next write lands at. */
        int position() {
            return pos;
        }

        byte[] toByteArray() {
            // a writer sized exactly hands over its array; it is not written to afterwards
            return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
        }
    }

    /** Reads from an array; running past its end is an {@link EOFException}, as with the stream classes. */
    static final class Reader {

        private final byte[] buf;
        private final int limit;
        private int pos;

        Reader(byte[] buf) {
            this(buf, 0);
        }

        /** Reads {@code buf} from {@code from} on. */
        Reader(byte[] buf, int from) {
            this(buf, from, buf.length);
        }

        /** Reads {@code buf} from {@code from} up to {@code limit} (exclusive): the bytes after it are not there. */
        Reader(byte[] buf, int from, int limit) {
            if (limit < from || limit > buf.length) {
                throw new UncheckedIOException(new EOFException("limit " + limit + " outside " + from + ".."
                        + buf.length));
            }
            this.buf = buf;
            this.pos = from;
            this.limit = limit;
        }

        int position() {
            return pos;
        }

        /** Whether bytes are left to read. */
        boolean hasRemaining() {
            return pos < limit;
        }

        /** Steps over {@code n} bytes; past the end is an {@link EOFException} like every read. */
        void skip(int n) {
            if (n < 0) {
                throw new UncheckedIOException(new EOFException("negative length " + n));
            }
            need(n);
            pos += n;
        }

        /** A copy of the bytes read since {@code from}. */
        byte[] readSince(int from) {
            return Arrays.copyOfRange(buf, from, pos);
        }

        private void need(int n) {
            if (pos + n > limit) {
                throw new UncheckedIOException(new EOFException("state ends after " + limit + " bytes"));
            }
        }

        byte readByte() {
            need(1);
            return buf[pos++];
        }

        boolean readBoolean() {
            return readByte() != 0;
        }

        int readInt() {
            need(4);
            int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                    | (buf[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        long readLong() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xFF);
            }
            return v;
        }

        double readDouble() {
            return Double.longBitsToDouble(readLong());
        }

        /** Modified UTF-8; all-ASCII strings (the usual ids) are copied as they are. */
        String readUTF() {
            need(2);
            int length = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
            need(2 + length);
            int start = pos + 2;
            for (int i = start; i < start + length; i++) {
                if (buf[i] < 0) {
                    return readNonAscii(length);
                }
            }
            pos = start + length;
            return new String(buf, start, length, StandardCharsets.ISO_8859_1);
        }

        private String readNonAscii(int length) {
            try {
                String s = new DataInputStream(new ByteArrayInputStream(buf, pos, 2 + length)).readUTF();
                pos += 2 + length;
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
