package io.streamfleet.contracts.json;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.topic.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The streaming reader of engagement.clean must read every input exactly as the contract serde does. */
class EngagementEventReaderTest {

    private static final String TOPIC = "engagement.clean";

    private final EngagementEventReader reader = new EngagementEventReader();
    private final Deserializer<EngagementEvent> contract = Topics.ENGAGEMENT_EVENT_SERDE.deserializer();

    @Property(tries = 500)
    void shouldReadEveryWrittenEventAsTheContractSerdeDoes(@ForAll("events") EngagementEvent event) {
        byte[] json = Topics.ENGAGEMENT_EVENT_SERDE.serializer().serialize(TOPIC, event);

        assertThat(reader.deserialize(TOPIC, json)).isEqualTo(event).isEqualTo(contract.deserialize(TOPIC, json));
    }

    @Example
    void shouldReadOddShapesAsTheContractSerdeDoes() {
        String[] inputs = {
                // unknown field, reordered fields, optional fields missing or null
                "{\"eventId\":\"e1\",\"extra\":[1,{\"a\":2}],\"userId\":\"u\",\"contentId\":\"c\","
                        + "\"eventType\":\"click\",\"eventTimeMs\":5,\"dwellMs\":0,\"completed\":false}",
                "{\"completed\":true,\"dwellMs\":7,\"eventTimeMs\":5,\"eventType\":\"view_end\",\"contentId\":\"c\","
                        + "\"userId\":\"u\",\"eventId\":\"e1\"}",
                "{\"eventId\":\"e1\",\"userId\":\"u\",\"contentId\":\"c\",\"eventType\":\"scroll\",\"eventTimeMs\":5}",
                "{\"eventId\":\"e1\",\"userId\":null,\"contentId\":\"c\",\"eventType\":null,\"eventTimeMs\":5,"
                        + "\"dwellMs\":null,\"completed\":null}",
                // coercions and a repeated field
                "{\"eventId\":1,\"userId\":\"u\",\"contentId\":\"c\",\"eventType\":\"click\",\"eventTimeMs\":\"5\","
                        + "\"dwellMs\":\"3\",\"completed\":\"true\"}",
                "{\"eventId\":\"e1\",\"userId\":\"u\",\"userId\":\"v\",\"contentId\":\"c\",\"eventType\":\"click\","
                        + "\"eventTimeMs\":5,\"dwellMs\":0,\"completed\":false}",
                "{\"eventId\":\"e1\",\"userId\":\"u\",\"contentId\":\"c\",\"eventType\":\"click\",\"eventTimeMs\":5,"
                        + "\"dwellMs\":0,\"completed\":false} trailing",
        };
        for (String input : inputs) {
            byte[] json = input.getBytes(StandardCharsets.UTF_8);
            Throwable expected = catchThrowable(() -> contract.deserialize(TOPIC, json));
            if (expected == null) {
                assertThat(reader.deserialize(TOPIC, json)).as(input).isEqualTo(contract.deserialize(TOPIC, json));
            } else {
                assertThatThrownBy(() -> reader.deserialize(TOPIC, json)).as(input)
                        .isInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
            }
        }
    }

    @Example
    void shouldRejectBadInputWithTheContractsError() {
        String[] inputs = {
                "{\"eventId\":\"e1\",\"userId\":\"u\",\"contentId\":\"c\",\"eventType\":\"swipe\",\"eventTimeMs\":5,"
                        + "\"dwellMs\":0,\"completed\":false}",
                "{\"eventId\":\"e1\",\"userId\":\"u\",\"contentId\":\"c\",\"eventType\":\"click\",\"eventTimeMs\":5.5,"
                        + "\"dwellMs\":0,\"completed\":false}",
                "{\"eventId\":\"e1\",\"userId\":",
                "\"just a string\"",
        };
        for (String input : inputs) {
            byte[] json = input.getBytes(StandardCharsets.UTF_8);
            Throwable expected = catchThrowable(() -> contract.deserialize(TOPIC, json));
            assertThat(expected).as(input).isInstanceOf(SerializationException.class);
            assertThatThrownBy(() -> reader.deserialize(TOPIC, json)).as(input)
                    .isInstanceOf(SerializationException.class).hasMessage(expected.getMessage());
        }
    }

    @Provide
    Arbitrary<EngagementEvent> events() {
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(0).ofMaxLength(20);
        return Combinators.combine(text, text, text, Arbitraries.of(EngagementEventType.class), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.of(true, false)).as(EngagementEvent::new);
    }
}
