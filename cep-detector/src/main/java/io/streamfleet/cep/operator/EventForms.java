package io.streamfleet.cep.operator;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored forms ({@link OrderCodec}) of a key state's events, in event order, without a copy per event: the events
 * read or last written are slices of that stored value (one array, offsets into it), and the events appended since
 * are arrays of their own. Writing the state back ({@link StateCodec#encodeState(io.streamfleet.cep.engine.runtime.KeyState,
 * long, EventForms)}) copies the kept slice of the old value in one piece and the appended forms after it, then
 * re-bases onto the new value. Until the sixth round every event had its own array, so a write-back copied some 30
 * small arrays scattered over the heap (docs/cep-detector.md, "Per-record cost, sixth round").
 *
 * <p>A value this refers to is never written to: the store and its changelog may still hold it.
 */
final class EventForms {

    private byte[] base;
    /** {@code starts[i]}: where event i of {@code base} starts; {@code starts[baseCount]}: where the last one ends. */
    private int[] starts;
    private int baseCount;
    /** Events of {@code base} before this one were dropped. */
    private int first;
    private final ArrayList<byte[]> appended = new ArrayList<>();

    private EventForms(byte[] base, int[] starts, int baseCount) {
        this.base = base;
        this.starts = starts;
        this.baseCount = baseCount;
    }

    static EventForms empty() {
        return new EventForms(null, new int[] {0}, 0);
    }

    /** The events of {@code value} that start at {@code starts[0..count)}, the last ending at {@code starts[count]}. */
    static EventForms slicesOf(byte[] value, int[] starts, int count) {
        if (starts.length < count + 1) {
            throw new IllegalArgumentException(count + " events need " + (count + 1) + " offsets, not "
                    + starts.length);
        }
        return new EventForms(value, starts, count);
    }

    int size() {
        return baseCount - first + appended.size();
    }

    /** Appends the form of an event newer than every one held. */
    void add(byte[] form) {
        appended.add(form);
    }

    /** Drops the first {@code count} events (the matcher drops events only from the front). */
    void dropFirst(int count) {
        if (count < 0 || count > size()) {
            throw new IndexOutOfBoundsException("drop " + count + " of " + size());
        }
        int fromBase = Math.min(count, baseCount - first);
        first += fromBase;
        appended.subList(0, count - fromBase).clear();
    }

    /** Bytes of all held forms together. */
    int byteLength() {
        int length = starts[baseCount] - starts[first];
        for (byte[] form : appended) {
            length += form.length;
        }
        return length;
    }

    /** A copy of each form, in order: what a test compares. */
    List<byte[]> toList() {
        List<byte[]> forms = new ArrayList<>(size());
        for (int i = first; i < baseCount; i++) {
            forms.add(java.util.Arrays.copyOfRange(base, starts[i], starts[i + 1]));
        }
        forms.addAll(appended);
        return forms;
    }

    /**
     * Writes every form, in order, and returns where each now starts in what {@code out} hands over (the last entry:
     * where the last one ends); pass both to {@link #rebase} once the value is complete.
     */
    int[] writeTo(StoreBytes.Writer out) {
        int[] newStarts = new int[size() + 1];
        int n = 0;
        int at = out.position();
        int baseFrom = starts[first];
        int baseLength = starts[baseCount] - baseFrom;
        if (baseLength > 0) {
            out.write(base, baseFrom, baseLength);
        }
        for (int i = first; i < baseCount; i++) {
            newStarts[n++] = at + starts[i] - baseFrom;
        }
        at += baseLength;
        for (byte[] form : appended) {
            newStarts[n++] = at;
            out.write(form, 0, form.length);
            at += form.length;
        }
        newStarts[n] = at;
        return newStarts;
    }

    /** After {@link #writeTo}: the forms are now the slices of {@code value} at {@code newStarts}. */
    void rebase(byte[] value, int[] newStarts) {
        base = value;
        starts = newStarts;
        baseCount = newStarts.length - 1;
        first = 0;
        appended.clear();
    }
}
