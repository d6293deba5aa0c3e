package io.streamfleet.cepbaseline;

import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.cepbaseline.rule.BurstRuleFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Locale;
import java.util.UUID;

/**
 * Flink jobs on a local in-process MiniCluster ({@code createLocalEnvironment}): a one-split sequence source (so the
 * stream keeps its event-time order) mapped onto the pre-generated events, timestamps and watermarks,
 * {@code keyBy(accountId|symbol)}, then either the rule as a keyed function ({@link #rule}, the baseline) or the Flink
 * CEP library ({@link #cep}, a pattern that reads the rule differently, see
 * docs/cep-detector.md#how-this-differs-from-flink-cep), detections handed back in memory. Heap state backend, object
 * reuse on, no checkpoints (our engine run persists nothing either).
 *
 * <p>Timed part: from the source reading its first event to the last sink subtask seeing the end of its input, so
 * job submission and MiniCluster start-up and shutdown are left out (reported separately as the gross time).
 */
public final class FlinkRun {

    private final BurstSettings settings;

    public FlinkRun(BurstSettings settings) {
        this.settings = settings;
    }

    /** CEP with the given window variant at {@code parallelism} CEP subtasks (the source is always one). */
    public RunResult cep(OrderEvent[] events, int parallelism, FlinkBurstPattern.Window window) throws Exception {
        String name = "Flink CEP " + window.name().toLowerCase(Locale.ROOT).replace('_', '-') + ", p=" + parallelism;
        return run(events, parallelism, name, WatermarkStrategy.forBoundedOutOfOrderness(settings.lateness()),
                keyed -> CEP.pattern(keyed, FlinkBurstPattern.of(settings, window), new ByEventId())
                        .inEventTime()
                        .process(new BurstPostFilter(settings), TypeInformation.of(Detection.class)));
    }

    /**
     * The rule as a keyed function ({@link BurstRuleFunction}: keyed state and event-time timers) at
     * {@code parallelism} subtasks (the source is always one). The input is in event-time order, so watermarks are
     * monotonous, as our engine-only run advances time to each event's time.
     */
    public RunResult rule(OrderEvent[] events, int parallelism) throws Exception {
        return run(events, parallelism, "Flink keyed rule, p=" + parallelism, WatermarkStrategy.forMonotonousTimestamps(),
                keyed -> keyed.process(new BurstRuleFunction(settings), TypeInformation.of(Detection.class))
                        .name("burst-rule"));
    }

    /** The same job without CEP (keyed no-op): the framework's share of the CEP figure. */
    public RunResult pipelineOnly(OrderEvent[] events, int parallelism) throws Exception {
        return run(events, parallelism, "Flink pipeline, no CEP, p=" + parallelism,
                WatermarkStrategy.forMonotonousTimestamps(), keyed -> keyed.process(new Discard(), TypeInformation.of(Detection.class)));
    }

    private RunResult run(OrderEvent[] events, int parallelism, String name, WatermarkStrategy<OrderEvent> watermarks,
                          Stage stage) throws Exception {
        String runId = UUID.randomUUID().toString();
        InJvmHandoff.open(runId, events);
        try {
            long submitted = System.nanoTime();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, configuration());
            KeyedStream<OrderEvent, String> keyed = env.fromSequence(0, events.length - 1).setParallelism(1)
                    .map(new FromHandoff(runId)).setParallelism(1)
                    .assignTimestampsAndWatermarks(watermarks.withTimestampAssigner((event, ts) -> event.eventTimeMs()))
                    .setParallelism(1)
                    .keyBy(OrderEvent::key, Types.STRING);
            stage.apply(keyed).sinkTo(new ToHandoff(runId));
            JobExecutionResult result = env.execute(name);
            double gross = (System.nanoTime() - submitted) / 1e9;
            Long outOfOrder = result.getAccumulatorResult(BurstRuleFunction.OUT_OF_ORDER);
            return new RunResult(name, events.length, InJvmHandoff.busySeconds(runId), gross,
                    InJvmHandoff.cpuSeconds(runId), InJvmHandoff.detections(runId), outOfOrder == null ? 0 : outOfOrder);
        } finally {
            InJvmHandoff.close(runId);
        }
    }

    private static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        return conf;
    }

    @FunctionalInterface
    private interface Stage {
        DataStream<Detection> apply(KeyedStream<OrderEvent, String> keyed);
    }

    /** Same tie-break as our engine: equal timestamps in event-id order. */
    private static final class ByEventId implements EventComparator<OrderEvent> {
        @Override
        public int compare(OrderEvent a, OrderEvent b) {
            return a.eventId().compareTo(b.eventId());
        }
    }

    private static final class FromHandoff implements MapFunction<Long, OrderEvent> {
        private final String runId;
        private transient OrderEvent[] events;

        FromHandoff(String runId) {
            this.runId = runId;
        }

        @Override
        public OrderEvent map(Long index) {
            if (events == null) {
                InJvmHandoff.markFirstRead(runId, System.nanoTime());
                events = InJvmHandoff.events(runId);
            }
            return events[(int) (long) index];
        }
    }

    private record ToHandoff(String runId) implements Sink<Detection> {
        @Override
        public SinkWriter<Detection> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Detection detection, Context ctx) {
                    InJvmHandoff.add(runId, detection);
                }

                @Override
                public void flush(boolean endOfInput) {
                    if (endOfInput) {
                        InJvmHandoff.markInputDone(runId, System.nanoTime());
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static final class Discard extends KeyedProcessFunction<String, OrderEvent, Detection> {
        @Override
        public void processElement(OrderEvent event, Context ctx, Collector<Detection> out) {
            // nothing: measures source, watermarks and the keyed exchange alone
        }
    }
}
