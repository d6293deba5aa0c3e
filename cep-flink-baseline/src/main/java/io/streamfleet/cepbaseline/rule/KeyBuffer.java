package io.streamfleet.cepbaseline.rule;

import java.util.Arrays;

/**
 * One key's unconsumed creates and cancels, in (time, id) order, as parallel primitive arrays used as a queue
 * ({@code head} .. {@code size}): no object per event beyond the id string the event already has. Also the pending
 * anchors (indices of creates directly followed by a cancel) and the time of the armed clean-up timer.
 *
 * <p>A public mutable class with a public no-argument constructor and public fields, so Flink's type extraction treats
 * it as a POJO (no Kryo) should a state backend ever serialise it. On the heap backend used here it is kept by
 * reference.
 */
public final class KeyBuffer {

    private static final int INITIAL = 32;

    public long[] times = new long[INITIAL];
    public String[] ids = new String[INITIAL];
    public boolean[] creates = new boolean[INITIAL];
    public double[] prices = new double[INITIAL];
    /** First live entry. */
    public int head;
    /** One past the last live entry. */
    public int size;
    /** Indices of pending anchors, in order, from {@code anchorHead} to {@code anchorSize}. */
    public int[] anchors = new int[8];
    public int anchorHead;
    public int anchorSize;
    /** Event time of the clean-up timer currently registered for this key, or {@code Long.MIN_VALUE}. */
    public long cleanupAt = Long.MIN_VALUE;
    /** (time, id) of the last event accepted: later events must come after it. */
    public long lastTime = Long.MIN_VALUE;
    public String lastId;

    public KeyBuffer() {
    }

    public boolean isEmpty() {
        return head == size;
    }

    public int last() {
        return size - 1;
    }

    public boolean hasPendingAnchor() {
        return anchorHead < anchorSize;
    }

    public int firstAnchor() {
        return anchors[anchorHead];
    }

    public void append(long time, String id, boolean create, double price) {
        if (size == times.length) {
            compactOrGrow();
        }
        times[size] = time;
        ids[size] = id;
        creates[size] = create;
        prices[size] = price;
        size++;
    }

    public void addAnchor(int index) {
        if (anchorSize == anchors.length) {
            int live = anchorSize - anchorHead;
            int[] grown = live * 2 > anchors.length ? new int[anchors.length * 2] : anchors;
            System.arraycopy(anchors, anchorHead, grown, 0, live);
            anchors = grown;
            anchorHead = 0;
            anchorSize = live;
        }
        anchors[anchorSize++] = index;
    }

    public void dropFirstAnchor() {
        anchorHead++;
    }

    /** Drops every entry up to and including {@code index} (consumption), and the anchors among them. */
    public void consumeThrough(int index) {
        for (int i = head; i <= index; i++) {
            ids[i] = null;
        }
        head = index + 1;
        while (anchorHead < anchorSize && anchors[anchorHead] <= index) {
            anchorHead++;
        }
    }

    /** Drops entries older than {@code time} (the caller knows no candidate reaches back that far). */
    public void dropBefore(long time) {
        while (head < size && times[head] < time) {
            ids[head++] = null;
        }
    }

    /** Moves the live entries to the front (anchor indices shift with them), growing the arrays if half full. */
    private void compactOrGrow() {
        int live = size - head;
        int capacity = live * 2 > times.length ? times.length * 2 : times.length;
        long[] newTimes = capacity == times.length ? times : new long[capacity];
        String[] newIds = capacity == times.length ? ids : new String[capacity];
        boolean[] newCreates = capacity == times.length ? creates : new boolean[capacity];
        double[] newPrices = capacity == times.length ? prices : new double[capacity];
        System.arraycopy(times, head, newTimes, 0, live);
        System.arraycopy(ids, head, newIds, 0, live);
        System.arraycopy(creates, head, newCreates, 0, live);
        System.arraycopy(prices, head, newPrices, 0, live);
        Arrays.fill(newIds, live, capacity, null);
        for (int a = anchorHead; a < anchorSize; a++) {
            anchors[a] -= head;
        }
        times = newTimes;
        ids = newIds;
        creates = newCreates;
        prices = newPrices;
        size = live;
        head = 0;
    }
}
