package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.json.PlainText;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.NumberOutput;

import java.util.Arrays;

/**
 * The records of {@code engagement.sessions} and {@code alerts.engagement} as the contract serde writes them (every
 * field in declaration order, doubles as the contract mapper formats them), byte for byte, straight into an array
 * instead of through databind's bean serializer and a generator. Strings are written only when they are printable
 * ASCII other than {@code "} and {@code \} (nothing the mapper escapes or encodes in several bytes); a record with any
 * other string, a null or a non-finite double goes to the contract serde itself, so the output is always exactly the
 * serde's. {@code OutputJsonWritersTest} holds both writers to the serde.
 */
final class OutputJsonWriters {

    private static final boolean FAST_DOUBLES =
            ContractMapper.shared().isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);

    private OutputJsonWriters() {
    }

    /** {@code engagement.sessions}; {@code fallback} gets what this writer does not write itself. */
    static Serializer<EngagementSession> sessions(Serializer<EngagementSession> fallback) {
        return (topic, s) -> {
            if (s == null || !plain(s.userId()) || !Double.isFinite(s.asdMs())
                    || !Double.isFinite(s.completionRate())) {
                return fallback.serialize(topic, s);
            }
            return new Out(128 + s.userId().length())
                    .raw("{\"userId\":\"").plain(s.userId())
                    .raw("\",\"sessionStartMs\":").number(s.sessionStartMs())
                    .raw(",\"sessionEndMs\":").number(s.sessionEndMs())
                    .raw(",\"events\":").number(s.events())
                    .raw(",\"viewEnds\":").number(s.viewEnds())
                    .raw(",\"asdMs\":").number(s.asdMs())
                    .raw(",\"completionRate\":").number(s.completionRate())
                    .raw(",\"clicks\":").number(s.clicks())
                    .raw("}").bytes();
        };
    }

    static Serializer<EngagementSession> sessions() {
        return sessions(Topics.ENGAGEMENT_SESSION_SERDE.serializer());
    }

    /** {@code alerts.engagement}; {@code fallback} gets what this writer does not write itself. */
    static Serializer<EngagementAlert> alerts(Serializer<EngagementAlert> fallback) {
        return (topic, a) -> {
            if (a == null || a.type() == null || !plain(a.alertId()) || !plain(a.userId()) || !plain(a.note())
                    || !Double.isFinite(a.asdMs()) || !Double.isFinite(a.baselineAsdMs())
                    || !Double.isFinite(a.dropRatio())) {
                return fallback.serialize(topic, a);
            }
            return new Out(256 + a.alertId().length() + a.userId().length() + a.note().length())
                    .raw("{\"alertId\":\"").plain(a.alertId())
                    .raw("\",\"type\":\"").plain(a.type().name())
                    .raw("\",\"userId\":\"").plain(a.userId())
                    .raw("\",\"sessionStartMs\":").number(a.sessionStartMs())
                    .raw(",\"sessionEndMs\":").number(a.sessionEndMs())
                    .raw(",\"asdMs\":").number(a.asdMs())
                    .raw(",\"baselineAsdMs\":").number(a.baselineAsdMs())
                    .raw(",\"dropRatio\":").number(a.dropRatio())
                    .raw(",\"detectedAtMs\":").number(a.detectedAtMs())
                    .raw(",\"note\":\"").plain(a.note())
                    .raw("\"}").bytes();
        };
    }

    static Serializer<EngagementAlert> alerts() {
        return alerts(Topics.ENGAGEMENT_ALERT_SERDE.serializer());
    }

    /** Printable ASCII that the contract mapper writes as is: one byte per char, no escape. */
    static boolean plain(String s) {
        return PlainText.isPlain(s);
    }

    /** One record's bytes: ASCII only, sized up front for the usual record. */
    private static final class Out {

        private byte[] buf;
        private int at;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        /** A constant: ASCII. */
        Out raw(String s) {
            return plain(s);
        }

        /** A string known to be {@link OutputJsonWriters#plain}: one byte per char. */
        Out plain(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[at++] = (byte) s.charAt(i);
            }
            return this;
        }

        Out number(long value) {
            return plain(Long.toString(value));
        }

        Out number(double value) {
            return plain(NumberOutput.toString(value, FAST_DOUBLES));
        }

        byte[] bytes() {
            return at == buf.length ? buf : Arrays.copyOf(buf, at);
        }

        private void ensure(int n) {
            if (at + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + n));
            }
        }
    }
}
