package io.streamfleet.alerts.feed;

import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.feed.position.PartitionKey;
import io.streamfleet.alerts.feed.position.PositionCodec;
import io.streamfleet.alerts.feed.position.PositionVector;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Builds one client's event stream: a hello event carrying the start position and the {@code retry:} hint, the
 * catch-up from Kafka, then live events from the hub, each with the position vector after it as {@code id}, merged
 * with heartbeat comments. Duplicates between catch-up and live are impossible by construction and are also dropped
 * by position, so a client never sees an event twice.
 */
public final class AlertFeed {

    private final AlertHub hub;
    private final CatchUpReader catchUp;
    private final EndOffsets endOffsets;
    private final FeedSettings settings;
    private final FeedMetrics metrics;

    public AlertFeed(AlertHub hub, CatchUpReader catchUp, EndOffsets endOffsets, FeedSettings settings,
                     FeedMetrics metrics) {
        this.hub = hub;
        this.catchUp = catchUp;
        this.endOffsets = endOffsets;
        this.settings = settings;
        this.metrics = metrics;
    }

    public boolean isReady() {
        return hub.isReady();
    }

    /** @param resumeFrom decoded Last-Event-ID, or null for a new client (starts at the current end) */
    public Flux<ServerSentEvent<String>> open(AlertFilter filter, PositionVector resumeFrom) {
        Mono<PositionVector> start = resumeFrom != null ? Mono.just(resumeFrom)
                : Mono.fromCallable(endOffsets::latest).subscribeOn(Schedulers.boundedElastic());
        return start.flatMapMany(from -> stream(filter, from, resumeFrom != null));
    }

    private Flux<ServerSentEvent<String>> stream(AlertFilter filter, PositionVector from, boolean resume) {
        FeedSession session = new FeedSession(filter, from, settings.bufferLimit());
        PositionVector handOver = hub.register(session);
        PositionVector[] position = {from};
        Flux<Item> events = catchUp.read(from, handOver).map(alert -> new Item(alert, false))
                .concatWith(session.live().map(alert -> new Item(alert, true)));
        Sinks.Empty<Void> dataDone = Sinks.empty();
        Flux<ServerSentEvent<String>> data = events.<ServerSentEvent<String>>handle((item, sink) -> {
            PartitionKey key = CatchUpReader.keyOf(item.alert());
            if (!position[0].isUnseen(key, item.alert().offset())) {
                return;
            }
            position[0] = position[0].after(key, item.alert().offset());
            if (filter.matches(item.alert().alert())) {
                metrics.sent(item.live(), item.alert().ingestedAtMs());
                sink.next(ServerSentEvent.builder(item.alert().json()).id(PositionCodec.encode(position[0])).build());
            }
        }).doFinally(signal -> dataDone.tryEmitEmpty());
        // a tick the client has no demand for is dropped: the connection is busy then, and interval() would
        // otherwise fail the whole stream with an overflow once the merge's queue of ticks is full
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(settings.heartbeat(), settings.heartbeat())
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.<String>builder().comment("heartbeat").build())
                .takeUntilOther(dataDone.asMono());
        ServerSentEvent<String> hello = ServerSentEvent.<String>builder().id(PositionCodec.encode(from))
                .comment("connected").retry(settings.retry()).build();
        return Flux.concat(Flux.just(hello), Flux.merge(data, heartbeats))
                .takeUntilOther(session.endSignal())
                .doOnSubscribe(subscription -> metrics.connected(resume))
                .doFinally(signal -> {
                    hub.unregister(session);
                    session.close();
                    metrics.disconnected(reason(signal, session));
                });
    }

    private static String reason(SignalType signal, FeedSession session) {
        if (session.overflowed()) {
            return "overflow";
        }
        if (session.endedByShutdown()) {
            return "shutdown";
        }
        return switch (signal) {
            case CANCEL -> "client";
            case ON_ERROR -> "error";
            default -> "completed";
        };
    }

    private record Item(FeedAlert alert, boolean live) {
    }
}
