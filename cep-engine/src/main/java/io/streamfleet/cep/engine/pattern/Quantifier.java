package io.streamfleet.cep.engine.pattern;

/**
 * How many events a stage must collect. A stage collects every qualifying event inside its window (there is no
 * "take the first n"), so {@link #times(int)} means the window holds exactly n qualifying events and
 * {@link #timesOrMore(int)} means at least n.
 */
public sealed interface Quantifier permits Quantifier.Exactly, Quantifier.AtLeast {

    /** Smallest accepted count. */
    int min();

    /** Whether a stage that collected {@code count} events satisfies the quantifier. */
    boolean accepts(int count);

    /** Exactly {@code n} events (n ≥ 1). */
    static Quantifier times(int n) {
        return new Exactly(n);
    }

    /** At least {@code n} events (n ≥ 1). */
    static Quantifier timesOrMore(int n) {
        return new AtLeast(n);
    }

    /**
     * Exactly {@code count} events.
     *
     * @param count required count, ≥ 1
     */
    record Exactly(int count) implements Quantifier {
        public Exactly {
            if (count < 1) {
                throw new IllegalArgumentException("times(n) needs n >= 1, was " + count);
            }
        }

        @Override
        public int min() {
            return count;
        }

        @Override
        public boolean accepts(int collected) {
            return collected == count;
        }
    }

    /**
     * At least {@code min} events.
     *
     * @param min smallest accepted count, ≥ 1
     */
    record AtLeast(int min) implements Quantifier {
        public AtLeast {
            if (min < 1) {
                throw new IllegalArgumentException("timesOrMore(n) needs n >= 1, was " + min);
            }
        }

        @Override
        public boolean accepts(int collected) {
            return collected >= min;
        }
    }
}
