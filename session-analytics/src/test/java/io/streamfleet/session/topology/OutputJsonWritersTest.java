package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.serialization.Serializer;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The hand-written writers of {@code engagement.sessions} and {@code alerts.engagement} give the contract serde's
 * bytes for every record — usual ones (written by hand) and odd ones (strings to escape or encode, nulls, signed
 * zeros, extreme and non-finite doubles: left to the serde) — and the serde's error where it has one.
 */
class OutputJsonWritersTest {

    private static final Serializer<EngagementSession> SESSION_SERDE = Topics.ENGAGEMENT_SESSION_SERDE.serializer();
    private static final Serializer<EngagementAlert> ALERT_SERDE = Topics.ENGAGEMENT_ALERT_SERDE.serializer();

    @Property(tries = 2000)
    void shouldWriteASessionAsTheContractSerdeDoes(@ForAll("sessions") EngagementSession session) {
        assertSameOutput(OutputJsonWriters.sessions(), SESSION_SERDE, session);
    }

    @Property(tries = 2000)
    void shouldWriteAnAlertAsTheContractSerdeDoes(@ForAll("alerts") EngagementAlert alert) {
        assertSameOutput(OutputJsonWriters.alerts(), ALERT_SERDE, alert);
    }

    @Property(tries = 500)
    void shouldWriteTheUsualRecordsItselfWhenTheirStringsArePlain(@ForAll("plainSessions") EngagementSession session,
                                                                  @ForAll("plainAlerts") EngagementAlert alert) {
        AtomicInteger fallbacks = new AtomicInteger();
        byte[] s = OutputJsonWriters.sessions((t, v) -> {
            fallbacks.incrementAndGet();
            return SESSION_SERDE.serialize(t, v);
        }).serialize("t", session);
        byte[] a = OutputJsonWriters.alerts((t, v) -> {
            fallbacks.incrementAndGet();
            return ALERT_SERDE.serialize(t, v);
        }).serialize("t", alert);

        assertThat(fallbacks).hasValue(0);
        assertThat(s).isEqualTo(SESSION_SERDE.serialize("t", session));
        assertThat(a).isEqualTo(ALERT_SERDE.serialize("t", alert));
    }

    private static <T> void assertSameOutput(Serializer<T> writer, Serializer<T> serde, T value) {
        byte[] expected = null;
        Throwable expectedError = catchThrowable(() -> serde.serialize("t", value));
        if (expectedError == null) {
            expected = serde.serialize("t", value);
        }
        byte[] actual = null;
        Throwable actualError = catchThrowable(() -> writer.serialize("t", value));
        if (actualError == null) {
            actual = writer.serialize("t", value);
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(actualError == null ? null : actualError.getMessage())
                .isEqualTo(expectedError == null ? null : expectedError.getMessage());
    }

    @Provide
    Arbitrary<EngagementSession> sessions() {
        return Combinators.combine(strings(), Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.longs(), doubles(), doubles(), Arbitraries.longs()).as(EngagementSession::new);
    }

    @Provide
    Arbitrary<EngagementSession> plainSessions() {
        return Combinators.combine(plainStrings(), Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.longs(), finiteDoubles(), finiteDoubles(), Arbitraries.longs()).as(EngagementSession::new);
    }

    @Provide
    Arbitrary<EngagementAlert> alerts() {
        return alerts(strings(), Arbitraries.of(AlertType.values()).injectNull(0.05), doubles());
    }

    @Provide
    Arbitrary<EngagementAlert> plainAlerts() {
        return alerts(plainStrings(), Arbitraries.of(AlertType.values()), finiteDoubles());
    }

    private static Arbitrary<EngagementAlert> alerts(Arbitrary<String> strings, Arbitrary<AlertType> types,
                                                     Arbitrary<Double> doubles) {
        Arbitrary<long[]> times = Arbitraries.longs().array(long[].class).ofSize(3);
        return Combinators.combine(strings, types, strings, times, doubles, doubles, doubles, strings)
                .as((id, type, user, t, asd, baseline, ratio, note) -> new EngagementAlert(id, type, user, t[0], t[1],
                        asd, baseline, ratio, t[2], note));
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.oneOf(plainStrings(), Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("\"\\/\u0000\u001f\u007f\u00e9\u20ac\ud83d\ude00 a%").ofMaxLength(6))
                .injectNull(0.05);
    }

    /** What the service writes: ids, user ids and the note are printable ASCII. */
    private static Arbitrary<String> plainStrings() {
        return Arbitraries.strings().withCharRange(' ', '~').excludeChars('"', '\\').ofMaxLength(40);
    }

    private static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(finiteDoubles(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    /** Rounded values as the service writes them, and any double at all, signed zeros and extremes included. */
    private static Arbitrary<Double> finiteDoubles() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 10_000_000).map(v -> v / 10.0),
                Arbitraries.longs().between(-2_000, 1_000).map(v -> v / 1000.0),
                Arbitraries.doubles(),
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e-7, 1e7, 1e21, 0.001, 9.999999e6));
    }
}
