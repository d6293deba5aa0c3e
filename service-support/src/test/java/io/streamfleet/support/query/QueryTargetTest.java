package io.streamfleet.support.query;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class QueryTargetTest {

    private static final HostInfo A = new HostInfo("sp-0.sp", 8081);
    private static final HostInfo B = new HostInfo("sp-1.sp", 8081);

    @Test
    void shouldAnswerHereWhenThisInstanceIsTheActiveOwner() {
        assertThat(QueryTarget.of(new KeyQueryMetadata(A, Set.of(B), 2), "sp-0.sp:8081"))
                .isEqualTo(new QueryTarget.Here());
    }

    @Test
    void shouldGoToTheActiveOwnerWhenThisInstanceHoldsOnlyAStandby() {
        assertThat(QueryTarget.of(new KeyQueryMetadata(B, Set.of(A), 2), "sp-0.sp:8081"))
                .isEqualTo(new QueryTarget.Owner(B));
    }

    @Test
    void shouldFindNoOwnerWhenKafkaStreamsHasNoMetadataForTheKey() {
        assertThat(QueryTarget.of(KeyQueryMetadata.NOT_AVAILABLE, "sp-0.sp:8081")).isEqualTo(new QueryTarget.NoOwner());
        assertThat(QueryTarget.of(null, "sp-0.sp:8081")).isEqualTo(new QueryTarget.NoOwner());
    }

    @Test
    void shouldAnswerHereWhenThisInstanceAdvertisesNoApplicationServer() {
        assertThat(QueryTarget.of(new KeyQueryMetadata(B, Set.of(), 0), "")).isEqualTo(new QueryTarget.Here());
    }

    @Test
    void shouldTellHostsApartByPortWhenInstancesShareAHost() {
        assertThat(QueryTarget.of(new KeyQueryMetadata(new HostInfo("localhost", 8082), Set.of(), 0),
                "localhost:8081")).isEqualTo(new QueryTarget.Owner(new HostInfo("localhost", 8082)));
    }
}
