package io.streamfleet.cep.engine.pattern;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * A completed candidate: the anchor and the events each stage collected. Handed to the pattern's post-match
 * predicate and, when that accepts it, returned by the matcher.
 *
 * @param pattern pattern name
 * @param anchor  the event the candidate is anchored at (the last event of the first stage)
 * @param stages  one entry per stage, in stage order
 * @param <E>     event type
 */
public record Match<E>(String pattern, E anchor, List<StageEvents<E>> stages) {

    public Match {
        stages = List.copyOf(stages);
    }

    /** Events of the named stage. */
    public List<E> events(String stage) {
        for (StageEvents<E> s : stages) {
            if (s.stage().equals(stage)) {
                return s.events();
            }
        }
        throw new NoSuchElementException("no stage '" + stage + "' in pattern " + pattern);
    }

    /** First event of the match in event order (first event of the first stage). */
    public E first() {
        return stages.get(0).events().get(0);
    }

    /** Last event of the match in event order (last event of the last stage). */
    public E last() {
        List<E> lastStage = stages.get(stages.size() - 1).events();
        return lastStage.get(lastStage.size() - 1);
    }
}
