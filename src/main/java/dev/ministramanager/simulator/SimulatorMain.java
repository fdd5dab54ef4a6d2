package dev.ministramanager.simulator;

import java.util.concurrent.CountDownLatch;

/**
 * Starts only the Ministra simulator, for people testing their own billing integration against it: port from
 * {@code MM_SIM_PORT} (default 8081), API credentials from {@code MM_SIM_API_USER} / {@code MM_SIM_API_PASSWORD},
 * state kept across restarts in {@code MM_SIM_STATE_DIR} when set (else in memory).
 * Runs until the process is stopped.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String port = System.getenv("MM_SIM_PORT");
        String stateDir = System.getenv("MM_SIM_STATE_DIR");
        SimulatorSettings settings = SimulatorSettings.defaults().withPort(
                port == null || port.isBlank() ? SimulatorSettings.DEFAULT_PORT : Integer.parseInt(port.strip()))
                .withStateDir(stateDir == null || stateDir.isBlank() ? null : java.nio.file.Path.of(stateDir.strip()));
        MinistraSimulator simulator = MinistraSimulator.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "simulator-shutdown"));
        // printed as well as logged: the standalone simulator may run without a logging configuration
        System.out.println("Ministra simulator: API " + simulator.apiBaseUrl() + " (user " + settings.apiUser()
                + "), control API " + simulator.baseUrl() + "/_sim");
        stopped.await();
    }
}
