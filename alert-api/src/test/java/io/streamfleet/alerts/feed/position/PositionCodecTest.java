package io.streamfleet.alerts.feed.position;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionCodecTest {

    @Property
    void shouldDecodeWhatItEncodedWhenGivenAnyVector(@ForAll("vectors") Map<PartitionKey, Long> offsets) {
        PositionVector vector = PositionVector.of(offsets);
        String id = PositionCodec.encode(vector);
        assertThat(id).matches("[A-Za-z0-9_-]+");
        assertThat(PositionCodec.decode(id)).isEqualTo(vector);
    }

    @Provide
    Arbitrary<Map<PartitionKey, Long>> vectors() {
        Arbitrary<PartitionKey> keys = Arbitraries.of("alerts.anomaly", "alerts.engagement", "x_y-Z.1", "t")
                .flatMap(topic -> Arbitraries.integers().between(0, 500).map(p -> new PartitionKey(topic, p)));
        return Arbitraries.maps(keys, Arbitraries.longs().between(0, Long.MAX_VALUE)).ofMaxSize(12);
    }

    @Test
    void shouldReadTheDocumentedTextFormWhenDecodingByHand() {
        String text = "v1;alerts.anomaly:0=12,2=7;alerts.engagement:1=3";
        PositionVector vector = PositionCodec.decode(encode(text));
        assertThat(vector.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new PartitionKey("alerts.anomaly", 0), 12L, new PartitionKey("alerts.anomaly", 2), 7L,
                new PartitionKey("alerts.engagement", 1), 3L));
        assertThat(PositionCodec.encode(vector)).isEqualTo(encode(text));
    }

    @Test
    void shouldRejectWithAReasonWhenTheIdIsMalformed() {
        assertThatThrownBy(() -> PositionCodec.decode("***")).hasMessageContaining("base64");
        assertThatThrownBy(() -> PositionCodec.decode(encode("v9;t:0=1"))).hasMessageContaining("version");
        assertThatThrownBy(() -> PositionCodec.decode(encode("v1;t:0=x"))).hasMessageContaining("non-numeric");
        assertThatThrownBy(() -> PositionCodec.decode(encode("v1;t:0=-4"))).hasMessageContaining("negative");
        assertThatThrownBy(() -> PositionCodec.decode(encode("v1;t:0=1,0=2"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> PositionCodec.decode(encode("v1;t"))).hasMessageContaining("topic section");
        assertThatThrownBy(() -> PositionCodec.decode("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PositionCodec.decode("A".repeat(5000))).hasMessageContaining("longer");
    }

    @Test
    void shouldNeverMoveBackwardsWhenAdvancing() {
        PartitionKey p = new PartitionKey("t", 0);
        PositionVector vector = PositionVector.empty().after(p, 10);
        assertThat(vector.nextOffset(p)).isEqualTo(11);
        assertThat(vector.after(p, 3)).isSameAs(vector);
        assertThat(vector.isUnseen(p, 10)).isFalse();
        assertThat(vector.isUnseen(p, 11)).isTrue();
        assertThat(vector.isUnseen(new PartitionKey("t", 1), 0)).isTrue();
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
