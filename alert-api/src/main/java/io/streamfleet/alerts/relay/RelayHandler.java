package io.streamfleet.alerts.relay;

import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.intake.AlertDecoder;
import io.streamfleet.alerts.relay.event.CloudEventHeaders;
import io.streamfleet.alerts.relay.event.RelayMessage;
import io.streamfleet.alerts.relay.event.RelayRoute;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * What a relay does with one alert record: decode it (to filter and to name the CloudEvents attributes), and if the
 * route wants it send the record's own key and value bytes with the CloudEvents headers. A failed send throws, so the
 * caller retries the record instead of moving past it.
 */
public final class RelayHandler {

    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

    /** What became of a record that did not throw. */
    public enum Outcome { SENT, FILTERED, UNREADABLE }

    private final RelayRoute route;
    private final AlertDecoder decoder;
    private final CloudEventHeaders cloudEvents;
    private final RelaySink sink;
    private final RelayMetrics metrics;

    public RelayHandler(RelayRoute route, AlertDecoder decoder, CloudEventHeaders cloudEvents, RelaySink sink,
                        RelayMetrics metrics) {
        this.route = route;
        this.decoder = decoder;
        this.cloudEvents = cloudEvents;
        this.sink = sink;
        this.metrics = metrics;
    }

    public RelayRoute route() {
        return route;
    }

    public Outcome handle(ConsumerRecord<byte[], byte[]> record) {
        Optional<FeedAlert> decoded = decoder.decode(record);
        if (decoded.isEmpty()) {
            metrics.unreadable();
            log.warn("relay {} skipped unreadable alert record {}-{}@{}", route.name(), record.topic(),
                    record.partition(), record.offset());
            return Outcome.UNREADABLE;
        }
        if (!route.filter().matches(decoded.get().alert())) {
            metrics.filtered();
            return Outcome.FILTERED;
        }
        try {
            sink.send(new RelayMessage(record.key(), record.value(),
                    cloudEvents.of(decoded.get().alert())));
        } catch (RuntimeException e) {
            metrics.failed();
            throw e;
        }
        metrics.sent();
        return Outcome.SENT;
    }
}
