package io.streamfleet.bench.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsInstancesTest {

    @Test
    void shouldSumEverySampleOfAMetricWhenItHasSeveralLabelSets() {
        String exposition = """
                # HELP kafka_stream_thread_process_total The total number of calls to process
                # TYPE kafka_stream_thread_process_total counter
                kafka_stream_thread_process_total{client_id="a",thread_id="t1"} 1200.0
                kafka_stream_thread_process_total{client_id="a",thread_id="t2"} 3.5E3
                kafka_stream_thread_process_total_other{client_id="a"} 99.0
                kafka_stream_thread_process_rate{client_id="a",thread_id="t1"} 10.0
                """;

        assertThat(StreamsInstances.sumOf(exposition, "kafka_stream_thread_process_total")).isEqualTo(4700.0);
    }

    @Test
    void shouldReadZeroWhenTheMetricIsAbsent() {
        assertThat(StreamsInstances.sumOf("jvm_threads_live_threads 40.0\n", "kafka_stream_thread_process_total"))
                .isZero();
    }
}
