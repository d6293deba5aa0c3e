package io.streamfleet.alerts.config;

import org.springframework.context.SmartLifecycle;

/**
 * Work that must run when the application context stops, in a chosen lifecycle phase (higher phases stop first; the
 * web server's graceful shutdown stops at {@code SmartLifecycle.DEFAULT_PHASE - 2048}). The step does nothing on start.
 */
final class ShutdownStep implements SmartLifecycle {

    /** What the step does; an interrupt ends it and is passed on to the stopping thread. */
    @FunctionalInterface
    interface Action {
        void run() throws InterruptedException;
    }

    private final int phase;
    private final Action action;
    private volatile boolean running;

    private ShutdownStep(int phase, Action action) {
        this.phase = phase;
        this.action = action;
    }

    /** A step that stops before the web server and everything else (the default, highest phase). */
    static ShutdownStep first(Action action) {
        return new ShutdownStep(DEFAULT_PHASE, action);
    }

    /** A step in the given phase. */
    static ShutdownStep atPhase(int phase, Action action) {
        return new ShutdownStep(phase, action);
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
