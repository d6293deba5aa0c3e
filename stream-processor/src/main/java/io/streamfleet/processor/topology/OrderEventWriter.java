package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;

/**
 * Writes the canonical form of an order for {@code orders.clean} and {@code orders.late} with Jackson's generator
 * instead of databind: the same bytes the contract serde writes (its fields in record order, nulls written, numbers and
 * strings by the same generator of the contract mapper), without the bean serializer's per-property dispatch. {@code
 * OrderEventWriterTest} checks byte equality with the contract serde for generated orders.
 */
final class OrderEventWriter implements Serializer<OrderEvent> {

    /** Room for a typical order, so the buffer does not grow while writing one. */
    private static final int INITIAL_BYTES = 256;

    private final JsonMapper mapper;

    /** @param mapper the contract mapper (the contract serde's generator settings) */
    OrderEventWriter(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public byte[] serialize(String topic, OrderEvent event) {
        if (event == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BYTES);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("eventId", event.eventId());
            g.writeStringProperty("accountId", event.accountId());
            g.writeStringProperty("symbol", event.symbol());
            g.writeStringProperty("eventType", event.eventType() == null ? null : event.eventType().name());
            g.writeStringProperty("orderId", event.orderId());
            g.writeStringProperty("side", event.side() == null ? null : event.side().name());
            g.writeNumberProperty("price", event.price());
            g.writeNumberProperty("qty", event.qty());
            g.writeNumberProperty("eventTimeMs", event.eventTimeMs());
            g.writeEndObject();
        } catch (JacksonException e) {
            throw new SerializationException("cannot write OrderEvent for topic " + topic, e);
        }
        return out.toByteArray();
    }
}
