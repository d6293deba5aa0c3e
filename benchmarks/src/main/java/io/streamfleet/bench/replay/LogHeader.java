package io.streamfleet.bench.replay;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** One Kafka record header as recorded: a name and the exact value bytes ({@code null} allowed). */
public record LogHeader(String name, byte[] value) {

    public LogHeader {
        Objects.requireNonNull(name, "header name");
    }

    public static LogHeader text(String name, String value) {
        return new LogHeader(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogHeader h && name.equals(h.name) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=" + (value == null ? "null" : new String(value, StandardCharsets.UTF_8));
    }
}
