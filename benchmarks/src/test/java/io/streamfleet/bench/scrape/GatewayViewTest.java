package io.streamfleet.bench.scrape;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Server-side figures read from two Prometheus expositions, as fleet-bench ingest --metrics reads the gateway's. */
class GatewayViewTest {

    private static final String TIMER = "streamfleet_gateway_request_latency_seconds";

    private static String exposition(long upTo1ms, long upTo2ms, long upTo4ms, long cpuNanos, long posts) {
        long total = upTo1ms + upTo2ms + upTo4ms;
        return """
                # HELP streamfleet_gateway_request_latency_seconds Time from receiving a request to answering it
                # TYPE streamfleet_gateway_request_latency_seconds histogram
                %1$s_bucket{application="ingest-gateway",channel="http",status="202",le="0.001"} %2$d
                %1$s_bucket{application="ingest-gateway",channel="http",status="202",le="0.002"} %3$d
                %1$s_bucket{application="ingest-gateway",channel="http",status="202",le="0.004"} %4$d
                %1$s_bucket{application="ingest-gateway",channel="http",status="202",le="+Inf"} %4$d
                %1$s_bucket{application="ingest-gateway",channel="http",status="503",le="0.001"} 7
                %1$s_bucket{application="ingest-gateway",channel="http",status="503",le="+Inf"} 9
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="202",uri="/v1/orders"} %6$d
                process_cpu_time_ns_total %5$d
                kafka_producer_record_queue_time_avg{client_id="ingest-gateway",kafka_version="4.4.0"} 0.75
                kafka_producer_node_request_latency_avg{client_id="ingest-gateway",node_id="node-1"} 99.0
                kafka_producer_request_latency_avg{client_id="ingest-gateway",kafka_version="4.4.0"} 1.25
                """.formatted(TIMER, upTo1ms, upTo1ms + upTo2ms, total, cpuNanos, posts);
    }

    @Test
    void shouldInterpolateQuantilesFromWhatTheBucketsCountedBetweenTwoReadings() {
        PrometheusText before = PrometheusText.parse(exposition(500, 0, 0, 0, 0));
        // between the readings: 100 answers up to 1 ms, 300 in (1, 2] ms, 100 in (2, 4] ms
        PrometheusText after = PrometheusText.parse(exposition(600, 300, 100, 0, 0));

        HistogramDelta delta = HistogramDelta.between(before.buckets(TIMER, "status=\"202\""),
                after.buckets(TIMER, "status=\"202\""));

        assertThat(delta.count()).isEqualTo(500);
        // rank 250 is the 150th of the 300 answers in (1, 2] ms: half way through the bucket
        assertThat(delta.quantile(0.5)).isCloseTo(0.0015, within(1e-9));
        // rank 495 is the 95th of the 100 answers in (2, 4] ms
        assertThat(delta.quantile(0.99)).isCloseTo(0.002 + 0.002 * 0.95, within(1e-9));
        assertThat(HistogramDelta.between(before.buckets(TIMER, "status=\"202\""),
                before.buckets(TIMER, "status=\"202\"")).quantile(0.5)).isNaN();
    }

    @Test
    void shouldReportServerLatencyProducerAveragesAndCpuPerRequestWhenTheGatewayExposesThem() {
        PrometheusText before = PrometheusText.parse(exposition(500, 0, 0, 1_000_000_000L, 10_000));
        PrometheusText after = PrometheusText.parse(exposition(600, 300, 100, 1_050_000_000L, 10_500));

        List<String> lines = GatewayView.report(before, after);

        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("request received → answered")
                .contains(": 500, p50 1.50 ms"));
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .isEqualTo("producer averages: record-queue-time 0.75 ms, request-latency 1.25 ms, "
                        + "records per request NaN, batch size NaN B"));
        // 50 ms of CPU over 500 POSTs
        assertThat(lines).contains("CPU: 100 µs per POST (500 POSTs)");
    }
}
