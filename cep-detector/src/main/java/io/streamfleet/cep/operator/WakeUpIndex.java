package io.streamfleet.cep.operator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The (wake-up watermark, key) index of the keys whose state needs attention again without new events for them: a
 * candidate comes due, or the state expires. In memory only: every key state in {@code cep-key-state} stores its own
 * wake-up watermark in its header ({@link StateCodec.StoredState#wakeAt()}), written in the same put and the same
 * exactly-once transaction as the state, so the index is a function of the committed key states and is rebuilt from
 * them when the processor is initialised ({@link KeyStates#load}) — after a restore, a restart, a migration or a
 * dirty close alike. Until the third round it was a changelogged store of its own ({@code cep-wake-ups}), which wrote
 * about half a changelog record per order to say what the key states already said.
 *
 * <p>Entries sort by watermark, then by key in the order of the key's UTF-8 bytes (code point order), which is the
 * order the old store's keys had, so keys come due in the same order as before.
 */
final class WakeUpIndex {

    /** Code point order: what UTF-8 bytes compare as; differs from {@link String#compareTo} only for surrogates. */
    static final Comparator<String> KEY_ORDER = WakeUpIndex::compareCodePoints;

    private record Entry(long at, String key) {
    }

    /** By watermark, then {@link #KEY_ORDER}; written out rather than chained, it runs at every index change. */
    private static final Comparator<Entry> ORDER = (a, b) -> {
        int byTime = Long.compare(a.at(), b.at());
        return byTime != 0 ? byTime : compareCodePoints(a.key(), b.key());
    };

    private final TreeSet<Entry> entries = new TreeSet<>(ORDER);

    /** Empties the index: {@link KeyStates#load} fills it again from the stored key states. */
    void clear() {
        entries.clear();
    }

    /** Records that {@code key} must be evaluated once the watermark reaches {@code at}. */
    void add(long at, String key) {
        entries.add(new Entry(at, key));
    }

    /** Drops the entry of {@code key} at {@code at}, if there is one. */
    void remove(long at, String key) {
        entries.remove(new Entry(at, key));
    }

    /** Removes and returns, in (watermark, key) order, the keys whose wake-up is at or before {@code upTo}. */
    List<String> takeDue(long upTo) {
        List<String> due = new ArrayList<>();
        while (!entries.isEmpty() && entries.first().at() <= upTo) {
            due.add(entries.pollFirst().key());
        }
        return due;
    }

    int size() {
        return entries.size();
    }

    /** The entries in order, as {@code watermark:key}: what a test compares. */
    List<String> describe() {
        return entries.stream().map(e -> e.at() + ":" + e.key()).toList();
    }

    private static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                // a surrogate is part of a code point above U+FFFF: after every other char, as in UTF-8
                return sx == sy ? Character.compare(x, y) : sx ? 1 : -1;
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
