package io.streamfleet.cep.burst;

import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.pattern.Pattern;
import io.streamfleet.cep.engine.pattern.Quantifier;
import io.streamfleet.cep.engine.pattern.SkipStrategy;
import io.streamfleet.cep.engine.pattern.Stage;
import io.streamfleet.contracts.Decimals;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;

import java.math.BigDecimal;
import java.util.List;

/**
 * The burst-create / mass-cancel pattern (docs/cep-detector.md#detection-rule) as an instance of the pattern library:
 * stage {@code creates} (CREATED, timesOrMore(minCreates), window T1 looking back from the anchor), stage
 * {@code cancels} (CANCELLED, timesOrMore(minCancels), window T2 after the anchor), post-match predicate on cancel
 * ratio and price levels, skip past last event.
 */
public final class BurstPattern {

    public static final String NAME = "burst-create-mass-cancel";
    public static final String CREATES = "creates";
    public static final String CANCELS = "cancels";

    private final BurstSettings settings;
    private final PriceLevels levels;
    private final Pattern<TrackedOrder> pattern;

    public BurstPattern(BurstSettings settings) {
        this.settings = settings;
        this.levels = new PriceLevels(settings.tickSize());
        this.pattern = Pattern.begin(NAME, TrackedOrder.ORDER,
                        Stage.of(CREATES, (TrackedOrder o) -> o.order().eventType() == OrderEventType.CREATED,
                                Quantifier.timesOrMore(settings.minCreates()), settings.burstWindow()))
                .then(CANCELS, o -> o.order().eventType() == OrderEventType.CANCELLED,
                        Quantifier.timesOrMore(settings.minCancels()), settings.cancelWindow())
                .where(this::passesPostFilter)
                .skip(SkipStrategy.skipPastLastEvent())
                .build();
    }

    public Pattern<TrackedOrder> pattern() {
        return pattern;
    }

    public BurstSettings settings() {
        return settings;
    }

    /** Cancel ratio and distinct price levels; the counts are the stages' quantifiers. */
    boolean passesPostFilter(Match<TrackedOrder> match) {
        List<TrackedOrder> burst = match.events(CREATES);
        int created = burst.size();
        int canceled = match.events(CANCELS).size();
        BigDecimal cancelledPart = BigDecimal.valueOf(Math.min(canceled, created));
        boolean ratioHolds = cancelledPart.compareTo(settings.minCancelRatio().multiply(BigDecimal.valueOf(created))) >= 0;
        return ratioHolds && priceLevels(burst).size() >= settings.minPriceLevels();
    }

    /** Turns an accepted match into the episode it reports. */
    public BurstDetection describe(Match<TrackedOrder> match) {
        List<TrackedOrder> burst = match.events(CREATES);
        List<TrackedOrder> cancels = match.events(CANCELS);
        OrderEvent first = burst.get(0).order();
        TrackedOrder last = match.last();
        long windowEnd = Math.max(burst.get(burst.size() - 1).order().eventTimeMs(), last.order().eventTimeMs());
        int created = burst.size();
        int canceled = cancels.size();
        return new BurstDetection(first.accountId(), first.symbol(), first.eventTimeMs(), windowEnd, created, canceled,
                Decimals.ratioHalfUp(Math.min(canceled, created), created, 3), priceLevels(burst),
                first.eventId(), last.order().eventId(), last.ingestedAtMs());
    }

    private List<Long> priceLevels(List<TrackedOrder> burst) {
        return levels.distinctLevels(burst.stream().map(o -> o.order().price()).toList());
    }
}
