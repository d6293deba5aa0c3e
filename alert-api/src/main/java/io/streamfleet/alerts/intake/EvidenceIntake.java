package io.streamfleet.alerts.intake;

import io.streamfleet.alerts.evidence.EvidenceIndex;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.json.ContractMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/** The evidence tail's handler: each record of {@code alerts.evidence} into the index; unreadable ones are skipped. */
public final class EvidenceIntake implements Consumer<ConsumerRecord<byte[], byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(EvidenceIntake.class);

    private final EvidenceIndex index;
    private final Runnable onInvalid;

    public EvidenceIntake(EvidenceIndex index, Runnable onInvalid) {
        this.index = index;
        this.onInvalid = onInvalid;
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            AlertEvidence evidence = ContractMapper.shared().readValue(record.value(), AlertEvidence.class);
            if (evidence.alertId() == null || evidence.alertId().isBlank()) {
                throw new IllegalArgumentException("no alertId");
            }
            index.add(evidence);
        } catch (RuntimeException e) {
            log.warn("Skipping unreadable evidence at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            onInvalid.run();
        }
    }
}
