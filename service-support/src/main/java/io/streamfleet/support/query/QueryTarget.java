package io.streamfleet.support.query;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where the interactive query of one key is answered: here, at the instance whose active task owns the key, or
 * nowhere for now (no owner while the group rebalances). Only active owners count, so an answer is never a standby's
 * stale copy.
 */
public sealed interface QueryTarget {

    /** This instance owns the key (or advertises no {@code application.server}, so it is the only one). */
    record Here() implements QueryTarget {
    }

    /** Another instance owns the key; the query is forwarded to its {@code application.server}. */
    record Owner(HostInfo host) implements QueryTarget {
    }

    /** No instance owns the key right now. */
    record NoOwner() implements QueryTarget {
    }

    /**
     * @param metadata Kafka Streams' answer for the key (null or {@link KeyQueryMetadata#NOT_AVAILABLE}: no owner)
     * @param self     this instance's {@code application.server} ({@code host:port}; blank: none advertised)
     */
    static QueryTarget of(KeyQueryMetadata metadata, String self) {
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new NoOwner();
        }
        return isSelf(metadata.activeHost(), self) ? new Here() : new Owner(metadata.activeHost());
    }

    static boolean isSelf(HostInfo host, String self) {
        return self.isBlank() || self.equals(host.host() + ":" + host.port());
    }
}
