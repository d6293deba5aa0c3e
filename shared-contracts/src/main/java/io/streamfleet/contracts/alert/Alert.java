package io.streamfleet.contracts.alert;

/** What every alert has, whatever detection raised it. */
public sealed interface Alert permits AnomalyAlert, EngagementAlert {

    String alertId();

    AlertType type();

    /** Kafka record key: the key of the alert's subject. */
    String key();

    long detectedAtMs();

    String note();
}
