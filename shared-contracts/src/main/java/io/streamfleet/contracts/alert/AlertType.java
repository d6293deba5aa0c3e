package io.streamfleet.contracts.alert;

/** The detections StreamFleet ships with. */
public enum AlertType {
    BURST_CREATE_MASS_CANCEL,
    ENGAGEMENT_DROP
}
