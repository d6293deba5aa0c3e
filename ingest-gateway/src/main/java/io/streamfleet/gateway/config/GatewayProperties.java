package io.streamfleet.gateway.config;

import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.gateway.admission.AdmissionLimits;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.publishing.PublishLane;
import io.streamfleet.gateway.warmup.SettleRule;
import io.streamfleet.gateway.warmup.WarmUpBudget;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * {@code streamfleet.gateway.*}: request limits, topics, publishing resilience, WebSocket flow control, progress
 * records and the self-warm-up. Invalid values fail start-up with a message naming the setting.
 *
 * @param maxBodySize      largest request body and WebSocket message (413 above)
 * @param maxBatchEvents   most events per request or message (413 above)
 * @param maxJsonDepth     deepest JSON nesting (an array of events is depth 2)
 * @param maxStringLength  longest JSON string, characters
 * @param maxFutureSkew    how far in the future eventTimeMs may lie
 * @param eventLoops       the HTTP server's threads, and how their lag is watched
 */
@ConfigurationProperties("streamfleet.gateway")
public record GatewayProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("1000") int maxBatchEvents,
        @DefaultValue("8") int maxJsonDepth,
        @DefaultValue("4096") int maxStringLength,
        @DefaultValue("5m") Duration maxFutureSkew,
        @DefaultValue Topics topics,
        @DefaultValue Publish publish,
        @DefaultValue WebSocket websocket,
        @DefaultValue Progress progress,
        @DefaultValue WarmUp warmUp,
        @DefaultValue EventLoops eventLoops) {

    public GatewayProperties {
        if (eventLoops == null) {
            eventLoops = EventLoops.DEFAULTS;
        }
        // warm-up events must never reach a domain topic
        if (warmUp != null && topics != null
                && (warmUp.topic().equals(topics.orders()) || warmUp.topic().equals(topics.engagement()))) {
            throw new IllegalArgumentException("streamfleet.gateway.warm-up.topic must not be a domain topic, was '"
                    + warmUp.topic() + "'");
        }
    }

    public IntakeLimits limits() {
        if (maxBodySize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("streamfleet.gateway.max-body-size must be below 2 GB");
        }
        try {
            return new IntakeLimits((int) maxBodySize.toBytes(), maxBatchEvents, maxJsonDepth, maxStringLength,
                    maxFutureSkew.toMillis());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("streamfleet.gateway: " + e.getMessage(), e);
        }
    }

    /**
     * The HTTP server's threads. One thread only accepts connections, so a new connection is taken at once even while
     * every worker is busy (on a worker it waited for that worker's whole round of reads, and its request with it);
     * the workers read, parse and answer. Each worker runs a probe every {@code lagProbe}: how late it runs is how
     * long a request may have waited unread in its socket, and admission counts that wait in the request's age.
     *
     * @param workers  worker threads; 0: Reactor Netty's default (the number of cores, at least 4)
     * @param lagProbe how often each worker measures its own lag
     */
    public record EventLoops(@DefaultValue("0") int workers, @DefaultValue("10ms") Duration lagProbe) {

        static final EventLoops DEFAULTS = new EventLoops(0, Duration.ofMillis(10));

        public EventLoops {
            if (workers < 0) {
                throw new IllegalArgumentException("streamfleet.gateway.event-loops.workers must be >= 0, was "
                        + workers);
            }
            if (lagProbe == null || lagProbe.toMillis() < 1) {
                throw new IllegalArgumentException("streamfleet.gateway.event-loops.lag-probe must be at least 1ms, "
                        + "was " + lagProbe);
            }
        }
    }

    /** Destination topics. */
    public record Topics(@DefaultValue("orders.raw") String orders, @DefaultValue("engagement.raw") String engagement) {
    }

    /**
     * The producer and the resilience around it.
     *
     * @param sendTimeout          the producer's delivery.timeout.ms: after it an event counts as not acknowledged
     * @param linger               the producer's linger.ms
     * @param maxInFlightRequests  the producer's max.in.flight.requests.per.connection (1 to 5: idempotence keeps
     *                             order only up to 5)
     * @param maxConcurrentCalls   bulkhead: publish calls (requests or WebSocket messages) in flight at once
     * @param failureRateThreshold circuit breaker: percentage of failed calls that opens it
     * @param slowCallThreshold    circuit breaker: calls slower than this count as slow (Kafka saturated)
     * @param slowCallRateThreshold circuit breaker: percentage of slow calls that opens it
     * @param minimumCalls         circuit breaker: calls needed before rates are judged
     * @param slidingWindow        circuit breaker: number of recent calls judged
     * @param openFor              circuit breaker: how long it stays open before probing; also the Retry-After
     * @param halfOpenCalls        circuit breaker: probing calls in half-open state
     * @param saturatedRetryAfter  Retry-After when the bulkhead is full
     * @param maxHold              admission: how long an admitted publish may be held (admission to Kafka's answer);
     *                             new publishes are refused, unsent, once the oldest unanswered one is half as old.
     *                             Keep it a fraction of the downstream allowed lateness (3 s for orders)
     * @param maxInFlightEvents    admission: most events admitted and not yet answered (a burst on an idle gateway)
     * @param overloadedRetryAfter Retry-After of an overloaded refusal
     * @param producer             further Kafka producer settings (they cannot weaken acks or idempotence)
     * @param singleEvents         the producer of HTTP requests that carry one event (see {@link SingleEvents})
     */
    public record Publish(
            @DefaultValue("5s") Duration sendTimeout,
            @DefaultValue("1ms") Duration linger,
            @DefaultValue("5") int maxInFlightRequests,
            @DefaultValue("256") int maxConcurrentCalls,
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("3s") Duration slowCallThreshold,
            @DefaultValue("100") float slowCallRateThreshold,
            @DefaultValue("5") int minimumCalls,
            @DefaultValue("20") int slidingWindow,
            @DefaultValue("5s") Duration openFor,
            @DefaultValue("3") int halfOpenCalls,
            @DefaultValue("1s") Duration saturatedRetryAfter,
            @DefaultValue("1s") Duration maxHold,
            @DefaultValue("10000") int maxInFlightEvents,
            @DefaultValue("1s") Duration overloadedRetryAfter,
            Map<String, String> producer,
            @DefaultValue SingleEvents singleEvents) {

        public Publish {
            producer = producer == null ? Map.of() : Map.copyOf(producer);
            // bound with its defaults when nothing is set (@DefaultValue); null only from code that forgot it
            Objects.requireNonNull(singleEvents, "streamfleet.gateway.publish.single-events");
            checkProducer("streamfleet.gateway.publish.", sendTimeout, linger, maxInFlightRequests);
            if (singleEvents.enabled()) {
                checkProducer("streamfleet.gateway.publish.single-events.", sendTimeout, singleEvents.linger(),
                        singleEvents.maxInFlightRequests());
            }
            if (maxConcurrentCalls < 1 || minimumCalls < 1 || slidingWindow < minimumCalls || halfOpenCalls < 1) {
                throw new IllegalArgumentException("streamfleet.gateway.publish: max-concurrent-calls, minimum-calls "
                        + "and half-open-calls must be >= 1, and sliding-window >= minimum-calls");
            }
            try {
                admissionLimits(maxHold, maxInFlightEvents, overloadedRetryAfter);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("streamfleet.gateway.publish." + e.getMessage(), e);
            }
        }

        public AdmissionLimits admission() {
            return admissionLimits(maxHold, maxInFlightEvents, overloadedRetryAfter);
        }

        private static AdmissionLimits admissionLimits(Duration maxHold, int maxInFlightEvents, Duration retryAfter) {
            return new AdmissionLimits(maxHold, maxInFlightEvents, retryAfter);
        }

        private static void checkProducer(String prefix, Duration sendTimeout, Duration linger, int maxInFlight) {
            if (linger == null || linger.isNegative()) {
                throw new IllegalArgumentException(prefix + "linger must be >= 0, was " + linger);
            }
            if (sendTimeout.toMillis() < linger.toMillis() + 1000) {
                throw new IllegalArgumentException("streamfleet.gateway.publish.send-timeout must be at least "
                        + prefix + "linger + 1s");
            }
            if (maxInFlight < 1 || maxInFlight > 5) {
                throw new IllegalArgumentException(prefix + "max-in-flight-requests must be 1 to 5 (the idempotent "
                        + "producer keeps the order of events only up to 5), not " + maxInFlight);
            }
        }
    }

    /**
     * A second producer for HTTP requests that carry exactly one event (docs/ingest-gateway.md, "Two producers"). For
     * such a request the batching producer's linger is most of the answer time; this one sends at once, and the events
     * that arrive while its requests are out gather into the next one. Arrays, NDJSON and WebSocket messages keep the
     * batching producer, whose linger fills its requests.
     *
     * @param enabled             false: single events share the batching producer (one producer, as before)
     * @param linger              this producer's linger.ms
     * @param maxInFlightRequests this producer's max.in.flight.requests.per.connection (1 to 5)
     */
    public record SingleEvents(@DefaultValue("true") boolean enabled, @DefaultValue("0ms") Duration linger,
                               @DefaultValue("2") int maxInFlightRequests) {
    }

    /**
     * @param path              where the WebSocket endpoint listens
     * @param maxInFlightFrames messages per connection being published at once; beyond it the socket is not read
     */
    public record WebSocket(@DefaultValue("/v1/events/ws") String path, @DefaultValue("32") int maxInFlightFrames) {

        public WebSocket {
            if (maxInFlightFrames < 1) {
                throw new IllegalArgumentException("streamfleet.gateway.websocket.max-in-flight-frames must be >= 1");
            }
        }

        /** The WebSocket's dry run: the same handler over the dry-run parts ({@code /v1/events/ws/dry-run}). */
        public String dryRunPath() {
            return path + "/dry-run";
        }
    }

    /**
     * Self-warm-up before readiness (docs/ingest-gateway.md, "Self-warm-up"): requests to the gateway's own dry-run
     * routes (HTTP and WebSocket) over loopback, their events sent to a topic of its own, so the JIT compiles the
     * request path before the readiness probe lets traffic in. It ends once it settled (its own rate stopped rising
     * and the JIT went quiet, {@code settle.*}), or at whichever bound it reaches first.
     *
     * @param enabled     run it at start; readiness stays DOWN while it runs, liveness is UP
     * @param maxTime     longest run (readiness comes that much later at most, plus 2 s for the last answers)
     * @param requests    most requests
     * @param concurrency requests in flight at once (like client connections)
     * @param topic       where the warm-up's events are sent (never a domain topic); created with one partition if
     *                    missing. Empty: the producer is not warmed, only the HTTP path
     * @param settle      when it ends before {@code maxTime}
     */
    public record WarmUp(@DefaultValue("false") boolean enabled, @DefaultValue("60s") Duration maxTime,
                         @DefaultValue("100000") int requests, @DefaultValue("16") int concurrency,
                         @DefaultValue("gateway.warm-up") String topic, @DefaultValue Settle settle) {

        public WarmUp {
            topic = topic == null ? "" : topic.strip();
            if (!topic.isEmpty()) {
                try {
                    org.apache.kafka.common.internals.Topic.validate(topic);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("streamfleet.gateway.warm-up.topic: " + e.getMessage(), e);
                }
            }
            try {
                new WarmUpBudget(requests, maxTime, concurrency);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("streamfleet.gateway.warm-up." + e.getMessage(), e);
            }
            if (settle == null) {
                settle = Settle.DEFAULTS;
            }
        }

        public WarmUpBudget budget() {
            return new WarmUpBudget(requests, maxTime, concurrency);
        }

        /** Whether its events go to a topic, so the producer is warmed too. */
        public boolean warmsProducer() {
            return !topic.isEmpty();
        }

        /** When it may end before {@code maxTime}; null: it runs to a budget (settle.enabled false). */
        public SettleRule settleRule() {
            return settle.enabled() ? settle.rule() : null;
        }
    }

    /**
     * When the self-warm-up ends before its {@code max-time}: on evidence that the request path is compiled, judged
     * over the last {@code windows} windows of {@code window} each ({@link SettleRule}).
     *
     * @param enabled        false: it runs for {@code max-time} (or the request budget), whatever the evidence
     * @param window         one window of evidence
     * @param windows        consecutive windows that must show a flat rate and a quiet JIT
     * @param minTime        earliest end
     * @param risePercent    the last windows' mean rate more than this above the windows before them: still rising
     * @param jitBusyPercent the JIT compiling more than this percentage of the windows' wall time: still compiling
     * @param costWindows    windows per span of the cost comparison (the last span against the one before)
     * @param costFallPercent the warm-up's CPU per request more than this below the span before: still falling
     *                        (a flat cost ends the warm-up while the JIT still compiles the application's lukewarm rest)
     */
    public record Settle(@DefaultValue("true") boolean enabled, @DefaultValue("1s") Duration window,
                         @DefaultValue("3") int windows, @DefaultValue("5s") Duration minTime,
                         @DefaultValue("10") double risePercent, @DefaultValue("10") double jitBusyPercent,
                         @DefaultValue("10") int costWindows, @DefaultValue("10") double costFallPercent) {

        static final Settle DEFAULTS = new Settle(true, Duration.ofSeconds(1), 3, Duration.ofSeconds(5), 10, 10, 10,
                10);

        public Settle {
            try {
                new SettleRule(window, windows, minTime, risePercent, jitBusyPercent, costWindows, costFallPercent);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("streamfleet.gateway.warm-up.settle." + e.getMessage(), e);
            }
        }

        public SettleRule rule() {
            return new SettleRule(window, windows, minTime, risePercent, jitBusyPercent, costWindows, costFallPercent);
        }
    }

    /**
     * Progress records (docs/event-time.md): a clock mark to every partition of the raw topics at a fixed interval.
     *
     * @param enabled    off only for a gateway that must not move the readers' time (tests, a replay source)
     * @param interval   time between two rounds of marks
     * @param instanceId this process's name in its marks; unique among the gateways writing the raw topics. Empty:
     *                   {@code gw-} and 8 random hex digits, new for each process (Helm sets the pod name)
     */
    public record Progress(@DefaultValue("true") boolean enabled, @DefaultValue("200ms") Duration interval,
                           String instanceId) {

        private static final SecureRandom RANDOM = new SecureRandom();

        public Progress {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("streamfleet.gateway.progress.interval must be > 0, was "
                        + interval);
            }
            instanceId = instanceId == null || instanceId.isBlank() ? randomInstanceId() : instanceId.strip();
            try {
                // the longer of the two writer names the gateway's producers write their marks under
                ProgressMark.clock(PublishLane.SINGLE_EVENTS.writerId(instanceId), 0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("streamfleet.gateway.progress.instance-id: " + e.getMessage(), e);
            }
        }

        static String randomInstanceId() {
            byte[] bytes = new byte[4];
            RANDOM.nextBytes(bytes);
            return "gw-" + HexFormat.of().formatHex(bytes);
        }
    }
}
