package io.streamfleet.cep.operator;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The array codec of the detector's stores must write exactly the bytes of {@link DataOutputStream} and read them as
 * {@link DataInputStream} does — state written before it (by the stream classes) must restore unchanged, for any
 * string, including NUL, non-ASCII and surrogate characters.
 */
class StoreBytesTest {

    @Property(tries = 1000)
    void shouldWriteTheBytesOfDataOutputStream(@ForAll String text, @ForAll long number, @ForAll double real,
                                               @ForAll int count, @ForAll boolean flag, @ForAll byte tag)
            throws IOException {
        byte[] expected = dataOutputStream(tag, text, number, real, count, flag);
        StoreBytes.Writer writer = new StoreBytes.Writer(1);
        writer.writeByte(tag);
        writer.writeUTF(text);
        writer.writeLong(number);
        writer.writeDouble(real);
        writer.writeInt(count);
        writer.writeBoolean(flag);

        assertThat(writer.toByteArray()).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void shouldReadWhatDataOutputStreamWrote(@ForAll String text, @ForAll long number, @ForAll double real,
                                             @ForAll int count, @ForAll boolean flag, @ForAll byte tag)
            throws IOException {
        StoreBytes.Reader reader = new StoreBytes.Reader(dataOutputStream(tag, text, number, real, count, flag));

        assertThat(reader.readByte()).isEqualTo(tag);
        assertThat(reader.readUTF()).isEqualTo(text);
        assertThat(reader.readLong()).isEqualTo(number);
        assertThat(reader.readDouble()).isEqualTo(real);
        assertThat(reader.readInt()).isEqualTo(count);
        assertThat(reader.readBoolean()).isEqualTo(flag);
    }

    @Property(tries = 300)
    void shouldReadWhatItWroteAsDataInputStreamDoes(@ForAll String text, @ForAll long number) throws IOException {
        StoreBytes.Writer writer = new StoreBytes.Writer(4);
        writer.writeUTF(text);
        writer.writeLong(number);
        DataInputStream data = new DataInputStream(new ByteArrayInputStream(writer.toByteArray()));

        assertThat(data.readUTF()).isEqualTo(text);
        assertThat(data.readLong()).isEqualTo(number);
    }

    @Example
    void shouldFailWithEndOfFileOnTruncatedState() {
        StoreBytes.Writer writer = new StoreBytes.Writer(4);
        writer.writeUTF("order-42");
        byte[] truncated = java.util.Arrays.copyOf(writer.toByteArray(), 5);

        assertThatThrownBy(() -> new StoreBytes.Reader(truncated).readUTF())
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
    }

    /** The fields as the stream classes wrote them before {@link StoreBytes}. */
    private static byte[] dataOutputStream(byte tag, String text, long number, double real, int count, boolean flag)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        data.writeByte(tag);
        data.writeUTF(text);
        data.writeLong(number);
        data.writeDouble(real);
        data.writeInt(count);
        data.writeBoolean(flag);
        return bytes.toByteArray();
    }
}
