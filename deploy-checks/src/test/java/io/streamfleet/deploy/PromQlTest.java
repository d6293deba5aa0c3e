package io.streamfleet.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTest {

    @Test
    void shouldListOnlyMetricNamesWhenExpressionHasFunctionsLabelsAndGrouping() {
        String expr = "histogram_quantile(0.99, sum by (le, application) (rate(http_server_requests_seconds_bucket"
                + "{application=~\"$application\", status=~\"5..\"}[$__rate_interval]))) > on(application) group_left "
                + "max(kafka_consumer_fetch_manager_records_lag_max) or vector(0) and up offset 5m";

        assertThat(PromQl.metricNames(expr))
                .containsExactly("http_server_requests_seconds_bucket", "kafka_consumer_fetch_manager_records_lag_max", "up");
    }

    @Test
    void shouldIgnoreLabelValuesAndDurationsWhenTheyLookLikeNames() {
        String expr = "sum(increase(streamfleet_gateway_rejected_total{reason=\"too_large\"}[5m])) by (reason) / 60";

        assertThat(PromQl.metricNames(expr)).containsExactly("streamfleet_gateway_rejected_total");
    }

    @Test
    void shouldSubstituteGrafanaVariablesWhenQueryGoesToPrometheus() {
        assertThat(PromQl.forPrometheus("rate(x{application=~\"$application\"}[$__rate_interval])"))
                .isEqualTo("rate(x{application=~\".+\"}[1m])");
    }

    @Test
    void shouldMatchEveryNamespaceAndJobWhenQueryGoesToPrometheus() {
        assertThat(PromQl.forPrometheus("up{namespace=~\"$namespace\", job=~\"${job}\"}"))
                .isEqualTo("up{namespace=~\".*\", job=~\".*\"}");
    }

    @Test
    void shouldListTheApplicationsAnExpressionSelects() {
        assertThat(PromQl.applications("sum(a{application=\"alert-api\"}) + count(b{application=~\"cep-detector|stream-processor\"})"
                + " + c{application=~\"$application\"}")).containsExactly("alert-api", "cep-detector", "stream-processor");
    }
}
