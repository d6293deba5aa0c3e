package io.streamfleet.contracts.json;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Kafka serde for one contract type over the shared Jackson 3 mapper. Hand-written rather than Spring Kafka's
 * {@code JacksonJsonSerde} so that the contracts (and the pure Kafka Streams topologies using them) stay free of
 * Spring, and so no type headers are written: the topic fixes the type.
 *
 * @param <T> the contract type
 */
public final class ContractSerde<T> implements Serde<T> {

    private final Class<T> type;
    private final JsonMapper mapper;

    public ContractSerde(Class<T> type, JsonMapper mapper) {
        this.type = type;
        this.mapper = mapper;
    }

    public ContractSerde(Class<T> type) {
        this(type, ContractMapper.shared());
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return mapper.writeValueAsBytes(data);
            } catch (JacksonException e) {
                throw new SerializationException("cannot write " + type.getSimpleName() + " for topic " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return mapper.readValue(data, type);
            } catch (JacksonException e) {
                throw new SerializationException("cannot read " + type.getSimpleName() + " from topic " + topic
                        + ": " + e.getOriginalMessage(), e);
            }
        };
    }
}
