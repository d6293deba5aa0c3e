package io.streamfleet.bench.scenario;

import java.util.function.Supplier;

/** Event ids {@code <prefix>-<zero-padded sequence>}: unique per run and ordered like their creation. */
final class IdSequence implements Supplier<String> {

    private final String prefix;
    private long next;

    IdSequence(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String get() {
        String n = Long.toString(next++);
        return prefix + "-" + "0".repeat(Math.max(0, 10 - n.length())) + n;
    }
}
