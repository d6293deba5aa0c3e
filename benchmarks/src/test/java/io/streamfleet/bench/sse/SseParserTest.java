package io.streamfleet.bench.sse;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

    private static List<SseParser.SseEvent> feed(String stream) {
        SseParser parser = new SseParser();
        List<SseParser.SseEvent> events = new ArrayList<>();
        for (String line : stream.split("\n", -1)) {
            parser.line(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void shouldDispatchEventsWithIdTypeAndJoinedDataWhenBlankLineEndsThem() {
        List<SseParser.SseEvent> events = feed("""
                : heartbeat

                id: 0-17
                event: alert
                data: {"a":
                data: 1}

                data:no-space
                retry: 1000

                """);
        assertThat(events).containsExactly(new SseParser.SseEvent("0-17", "alert", "{\"a\":\n1}"),
                new SseParser.SseEvent("0-17", "message", "no-space"));
    }

    @Test
    void shouldReadAnomalyAndEngagementAlertsAndSkipOtherPayloadsWhenParsingData() {
        ReceivedAlert anomaly = ReceivedAlert.from("1", "{\"alertId\":\"bcmc_1\",\"type\":\"BURST_CREATE_MASS_CANCEL\","
                + "\"accountId\":\"a\",\"symbol\":\"S\"}", 5);
        ReceivedAlert drop = ReceivedAlert.from("2", "{\"alert\":{\"alertId\":\"edrop_1\",\"type\":\"ENGAGEMENT_DROP\","
                + "\"userId\":\"u\"}}", 6);
        assertThat(anomaly.key()).isEqualTo("a|S");
        assertThat(drop.key()).isEqualTo("u");
        assertThat(drop.type()).isEqualTo("ENGAGEMENT_DROP");
        assertThat(ReceivedAlert.from("3", "{\"heartbeat\":true}", 7)).isNull();
        assertThat(ReceivedAlert.from("4", "not json", 7)).isNull();
    }
}
