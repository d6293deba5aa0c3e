package io.streamfleet.alerts.intake;

import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.feed.AlertHub;
import io.streamfleet.alerts.history.index.HistoryIndex;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** The live tail's handler: every alert record goes into the history index and out to the feed hub. */
public final class AlertIntake implements Consumer<ConsumerRecord<byte[], byte[]>> {

    private final AlertDecoder decoder;
    private final HistoryIndex history;
    private final AlertHub hub;
    private final LongSupplier clock;

    public AlertIntake(AlertDecoder decoder, HistoryIndex history, AlertHub hub, LongSupplier clock) {
        this.decoder = decoder;
        this.history = history;
        this.hub = hub;
        this.clock = clock;
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
        Optional<FeedAlert> alert = decoder.decodeCounted(record);
        alert.ifPresent(a -> history.add(a, clock.getAsLong()));
        hub.onRecord(record.topic(), record.partition(), record.offset(), alert.orElse(null));
    }
}
