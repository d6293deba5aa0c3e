package io.streamfleet.drills;

/** Sleeping that turns an interrupt into an unchecked stop (drills are not cancellable half-way). */
final class Sleep {

    private Sleep() {
    }

    static void ms(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
