package io.streamfleet.support.streams.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;

import java.util.Map;

/**
 * The {@link StateStore} part shared by the key-value and window wrappers: every operation goes to the wrapped store
 * except {@link #getPosition()}, which answers an empty position while offset vectors are off for the application.
 * Why, and what it relies on: {@link ChangelogPositions}.
 *
 * @param <S> the wrapped store's type; subclasses forward its own operations
 */
abstract class ChangelogPositionStateStore<S extends StateStore> implements StateStore {

    protected final S inner;
    private boolean vectorsEnabled = true;

    ChangelogPositionStateStore(S inner) {
        this.inner = inner;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        vectorsEnabled = ChangelogPositions.vectorsEnabled(context.appConfigs());
        inner.init(context, root);
    }

    @Override
    public Position getPosition() {
        return vectorsEnabled ? inner.getPosition() : Position.emptyPosition();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return inner.approximateNumUncommittedBytes();
    }
}
