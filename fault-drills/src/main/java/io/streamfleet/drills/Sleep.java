package io.streamfleet.drills;

/** Sleeping that turns an interrupt into an unchecked stop (drills are not cancellable half-way). */
public final class Sleep {

    private Sleep() {
    }

    public static void ms(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
