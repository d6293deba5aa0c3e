package io.streamfleet.session.topology;

import io.streamfleet.contracts.json.ContractSerde;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.baseline.BaselinePoint;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code session-baselines} value: a versioned binary layout, written since 2026-12-05 because every closed
 * session reads and rewrites its user's baseline (5 sessions and 20 chart points), and Jackson databind for that record
 * was a tenth of the stream thread's time (docs/session-analytics.md#per-record-cost-2026-12-05). Doubles are stored
 * as their exact bits, so a value reads back identical to the record written, as the JSON did.
 *
 * <p>Reads both layouts: a value starting with {@link #V1} is binary; anything else is the JSON state written before,
 * read by the contract serde as before (its errors included). A build from before this layout cannot read it
 * (rolling back past it needs the state reset, as for the open-session layout).
 */
final class BaselineSerde implements Serde<Baseline> {

    /** First byte of the binary layout; no JSON text starts with a control character. */
    static final byte V1 = 1;
    private static final byte HAS_BASELINE_BEFORE = 1;
    private static final byte DROP = 2;
    private static final int NULL_STRING = -1;

    private final ContractSerde<Baseline> json = new ContractSerde<>(Baseline.class);

    @Override
    public Serializer<Baseline> serializer() {
        return (topic, baseline) -> baseline == null ? null : encode(baseline);
    }

    @Override
    public Deserializer<Baseline> deserializer() {
        Deserializer<Baseline> legacy = json.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != V1) {
                return legacy.deserialize(topic, bytes);
            }
            try {
                return decode(bytes);
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new SerializationException("cannot read binary Baseline from topic " + topic + ": "
                        + (e.getMessage() == null ? "value truncated" : e.getMessage()), e);
            }
        };
    }

    static byte[] encode(Baseline baseline) {
        List<byte[]> users = new ArrayList<>(baseline.recent().size());
        int size = 1 + 3 * Long.BYTES + Integer.BYTES + Integer.BYTES;
        for (EngagementSession s : baseline.recent()) {
            byte[] user = s.userId() == null ? null : s.userId().getBytes(StandardCharsets.UTF_8);
            users.add(user);
            size += Integer.BYTES + (user == null ? 0 : user.length) + 7 * Long.BYTES;
        }
        for (BaselinePoint p : baseline.history()) {
            size += 3 * Long.BYTES + 1 + (p.baselineBeforeMs() == null ? 0 : Long.BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(V1).putDouble(baseline.emaAsdMs()).putLong(baseline.sessions()).putLong(baseline.updatedAt());
        out.putInt(baseline.recent().size());
        for (int i = 0; i < baseline.recent().size(); i++) {
            EngagementSession s = baseline.recent().get(i);
            byte[] user = users.get(i);
            out.putInt(user == null ? NULL_STRING : user.length);
            if (user != null) {
                out.put(user);
            }
            out.putLong(s.sessionStartMs()).putLong(s.sessionEndMs()).putLong(s.events()).putLong(s.viewEnds())
                    .putDouble(s.asdMs()).putDouble(s.completionRate()).putLong(s.clicks());
        }
        out.putInt(baseline.history().size());
        for (BaselinePoint p : baseline.history()) {
            byte flags = (byte) ((p.baselineBeforeMs() == null ? 0 : HAS_BASELINE_BEFORE) | (p.drop() ? DROP : 0));
            out.putLong(p.sessionStartMs()).putLong(p.sessionEndMs()).putDouble(p.asdMs()).put(flags);
            if (p.baselineBeforeMs() != null) {
                out.putDouble(p.baselineBeforeMs());
            }
        }
        return out.array();
    }

    static Baseline decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.get();
        double ema = in.getDouble();
        long sessions = in.getLong();
        long updatedAt = in.getLong();
        int recentCount = count(in, "recent sessions");
        List<EngagementSession> recent = new ArrayList<>(recentCount);
        for (int i = 0; i < recentCount; i++) {
            String user = string(in);
            recent.add(new EngagementSession(user, in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                    in.getDouble(), in.getDouble(), in.getLong()));
        }
        int historyCount = count(in, "history points");
        List<BaselinePoint> history = new ArrayList<>(historyCount);
        for (int i = 0; i < historyCount; i++) {
            long start = in.getLong();
            long end = in.getLong();
            double asd = in.getDouble();
            byte flags = in.get();
            Double before = (flags & HAS_BASELINE_BEFORE) != 0 ? in.getDouble() : null;
            history.add(new BaselinePoint(start, end, asd, before, (flags & DROP) != 0));
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the baseline");
        }
        return new Baseline(ema, sessions, updatedAt, recent, history);
    }

    private static int count(ByteBuffer in, String what) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException("impossible count of " + what + ": " + count);
        }
        return count;
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length == NULL_STRING) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("impossible user id length: " + length);
        }
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }
}
