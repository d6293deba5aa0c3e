package io.streamfleet.cep.config;

import io.streamfleet.cep.burst.BurstEvidence;
import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.cep.topology.CepTopology;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * {@code streamfleet.cep.*}: the burst-create / mass-cancel pattern and the operator around it (defaults as in
 * docs/cep-detector.md). Invalid values fail start-up with a message naming the setting.
 *
 * @param inputTopic          orders to watch
 * @param alertsTopic         anomaly alerts
 * @param lateTopic           orders behind the detector's watermark
 * @param minCreates          smallest burst |B|
 * @param minCancels          smallest cancel set |C|
 * @param minCancelRatio      smallest min(|C|,|B|)/|B|
 * @param minPriceLevels      smallest number of distinct tick levels in B
 * @param burstWindow         T1
 * @param cancelWindow        T2
 * @param tickSize            price tick
 * @param lateness            allowed lateness behind stream time
 * @param evidenceTopic       each alert's matched orders (the console draws the episode from them)
 * @param evidenceMaxOrders   cap on the orders kept per alert (an evenly spaced sample above it)
 * @param punctuationInterval evaluation granularity in event time: orders evaluate once they move the watermark this
 *                            far past the last evaluation (a progress mark that moves it evaluates at once)
 */
@ConfigurationProperties("streamfleet.cep")
public record CepProperties(
        @DefaultValue("orders.clean") String inputTopic,
        @DefaultValue("alerts.anomaly") String alertsTopic,
        @DefaultValue("orders.cep.late") String lateTopic,
        @DefaultValue("10") int minCreates,
        @DefaultValue("8") int minCancels,
        @DefaultValue("0.80") BigDecimal minCancelRatio,
        @DefaultValue("3") int minPriceLevels,
        @DefaultValue("2s") Duration burstWindow,
        @DefaultValue("1s") Duration cancelWindow,
        @DefaultValue("0.01") BigDecimal tickSize,
        @DefaultValue("3s") Duration lateness,
        @DefaultValue("100ms") Duration punctuationInterval,
        @DefaultValue("alerts.evidence") String evidenceTopic,
        @DefaultValue("400") int evidenceMaxOrders) {

    public DetectorSettings detectorSettings() {
        BurstSettings burst = new BurstSettings(minCreates, minCancels, minCancelRatio, minPriceLevels, burstWindow,
                cancelWindow, tickSize, lateness);
        return new DetectorSettings(burst, punctuationInterval);
    }

    public CepTopology.Settings topologySettings() {
        if (evidenceMaxOrders < BurstEvidence.MIN_ORDERS) {
            throw new IllegalArgumentException("streamfleet.cep.evidence-max-orders must be >= "
                    + BurstEvidence.MIN_ORDERS + ", was " + evidenceMaxOrders);
        }
        return new CepTopology.Settings(inputTopic, alertsTopic, lateTopic, true, evidenceTopic, evidenceMaxOrders);
    }
}
