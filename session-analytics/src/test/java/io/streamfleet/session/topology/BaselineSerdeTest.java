package io.streamfleet.session.topology;

import io.streamfleet.contracts.json.ContractSerde;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.baseline.BaselinePoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The binary {@code session-baselines} layout reads back exactly the baseline written, and the JSON state written
 * before it still reads as the contract serde reads it.
 */
class BaselineSerdeTest {

    private final BaselineSerde serde = new BaselineSerde();
    private final ContractSerde<Baseline> json = new ContractSerde<>(Baseline.class);

    @Property(tries = 300)
    void shouldReadBackTheBaselineItWroteWhenTheLayoutIsBinary(@ForAll("baselines") Baseline baseline) {
        byte[] bytes = serde.serializer().serialize("t", baseline);

        assertThat(bytes[0]).isEqualTo(BaselineSerde.V1);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(baseline);
    }

    @Property(tries = 300)
    void shouldReadJsonStateAsTheContractSerdeDoesWhenStoredBeforeTheBinaryLayout(
            @ForAll("baselines") Baseline baseline) {
        byte[] stored = json.serializer().serialize("t", baseline);

        assertThat(serde.deserializer().deserialize("t", stored))
                .isEqualTo(json.deserializer().deserialize("t", stored));
    }

    @Test
    void shouldReadABaselineStoredAsJsonBeforeTheHistoryExisted() {
        byte[] stored = "{\"emaAsdMs\":900.5,\"sessions\":3,\"updatedAt\":77,\"recent\":[]}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(serde.deserializer().deserialize("t", stored))
                .isEqualTo(new Baseline(900.5, 3, 77, java.util.List.of(), java.util.List.of()));
    }

    @Property(tries = 100)
    void shouldNameTheBinaryLayoutWhenAValueIsTruncated(@ForAll("baselines") Baseline baseline) {
        byte[] bytes = serde.serializer().serialize("t", baseline);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 1);

        assertThatThrownBy(() -> serde.deserializer().deserialize("session-baselines", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot read binary Baseline from topic session-baselines");
    }

    @Test
    void shouldRefuseTrailingBytesAfterABinaryBaseline() {
        byte[] bytes = serde.serializer().serialize("t", new Baseline(1.5, 1, 2, java.util.List.of()));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("2 bytes after the baseline");
    }

    @Test
    void shouldGiveTheContractSerdesErrorWhenJsonStateIsMalformed() {
        byte[] bad = "{\"emaAsdMs\":".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bad))
                .isInstanceOf(SerializationException.class).hasMessageStartingWith("cannot read Baseline from topic t");
    }

    @Provide
    Arbitrary<Baseline> baselines() {
        Arbitrary<Double> doubles = Arbitraries.doubles().withSpecialValue(0.0).withSpecialValue(-0.0)
                .withSpecialValue(Double.MAX_VALUE).withSpecialValue(Double.MIN_VALUE);
        Arbitrary<EngagementSession> sessions = Combinators.combine(
                Arbitraries.strings().ofMaxLength(40).injectNull(0.05), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.longs(), doubles, doubles, Arbitraries.longs())
                .as(EngagementSession::new);
        Arbitrary<BaselinePoint> points = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), doubles,
                doubles.injectNull(0.2), Arbitraries.of(true, false)).as(BaselinePoint::new);
        return Combinators.combine(doubles, Arbitraries.longs(), Arbitraries.longs(),
                sessions.list().ofMaxSize(Baseline.RECENT), points.list().ofMaxSize(Baseline.HISTORY))
                .as(Baseline::new);
    }
}
