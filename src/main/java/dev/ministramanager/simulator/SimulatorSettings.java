package dev.ministramanager.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link MinistraSimulator} starts.
 *
 * @param host                   interface to listen on
 * @param port                   TCP port; 0 picks a free one
 * @param apiUser                Basic-auth user of the Ministra API ({@code api_auth_login}); empty = no authentication
 * @param apiPassword            Basic-auth password ({@code api_auth_password})
 * @param watchdogTimeout        {@code watchdog_timeout}: a box is online while its last keep-alive is this recent;
 *                               non-message events live twice as long by default
 * @param internalBilling        {@code enable_internal_billing}: GET results carry {@code end_date}
 * @param allowMultipleStbUpdate {@code allow_multiple_stb_update}: {@code PUT /stb} without identifier updates every row
 * @param catalogueFile          JSON catalogue of plans and packages (see {@code Catalogue.fromJson}); null = the
 *                               seed catalogue of the wire transcript
 * @param eventLoops             HTTP server instances, one per event loop
 * @param stateDir               directory where the simulated database is kept across restarts (see
 *                               {@code StateFile}); null = in memory only, every start is fresh
 */
public record SimulatorSettings(String host, int port, String apiUser, String apiPassword, Duration watchdogTimeout,
                                boolean internalBilling, boolean allowMultipleStbUpdate, Path catalogueFile,
                                int eventLoops, Path stateDir) {

    public static final int DEFAULT_PORT = 8081;

    public SimulatorSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiUser, "apiUser");
        Objects.requireNonNull(apiPassword, "apiPassword");
        Objects.requireNonNull(watchdogTimeout, "watchdogTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (watchdogTimeout.isNegative() || watchdogTimeout.isZero()) {
            throw new IllegalArgumentException("watchdogTimeout must be positive");
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1");
        }
    }

    /**
     * 127.0.0.1:8081, credentials from {@code MM_SIM_API_USER} / {@code MM_SIM_API_PASSWORD} (default
     * ministra / ministra-secret), watchdog 120 s, internal billing off, the transcript's catalogue.
     */
    public static SimulatorSettings defaults() {
        return new SimulatorSettings("127.0.0.1", DEFAULT_PORT, env("MM_SIM_API_USER", "ministra"),
                env("MM_SIM_API_PASSWORD", "ministra-secret"), Duration.ofSeconds(120), false, false, null,
                Math.max(2, Runtime.getRuntime().availableProcessors()), null);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    public SimulatorSettings withHost(String newHost) {
        return new SimulatorSettings(newHost, port, apiUser, apiPassword, watchdogTimeout, internalBilling,
                allowMultipleStbUpdate, catalogueFile, eventLoops, stateDir);
    }

    public SimulatorSettings withPort(int newPort) {
        return new SimulatorSettings(host, newPort, apiUser, apiPassword, watchdogTimeout, internalBilling,
                allowMultipleStbUpdate, catalogueFile, eventLoops, stateDir);
    }

    public SimulatorSettings withCredentials(String user, String password) {
        return new SimulatorSettings(host, port, user, password, watchdogTimeout, internalBilling,
                allowMultipleStbUpdate, catalogueFile, eventLoops, stateDir);
    }

    public SimulatorSettings withWatchdogTimeout(Duration timeout) {
        return new SimulatorSettings(host, port, apiUser, apiPassword, timeout, internalBilling,
                allowMultipleStbUpdate, catalogueFile, eventLoops, stateDir);
    }

    public SimulatorSettings withInternalBilling(boolean enabled) {
        return new SimulatorSettings(host, port, apiUser, apiPassword, watchdogTimeout, enabled,
                allowMultipleStbUpdate, catalogueFile, eventLoops, stateDir);
    }

    public SimulatorSettings withAllowMultipleStbUpdate(boolean allowed) {
        return new SimulatorSettings(host, port, apiUser, apiPassword, watchdogTimeout, internalBilling,
                allowed, catalogueFile, eventLoops, stateDir);
    }

    public SimulatorSettings withCatalogueFile(Path file) {
        return new SimulatorSettings(host, port, apiUser, apiPassword, watchdogTimeout, internalBilling,
                allowMultipleStbUpdate, file, eventLoops, stateDir);
    }

    public SimulatorSettings withEventLoops(int count) {
        return new SimulatorSettings(host, port, apiUser, apiPassword, watchdogTimeout, internalBilling,
                allowMultipleStbUpdate, catalogueFile, count, stateDir);
    }

    public SimulatorSettings withStateDir(Path directory) {
        return new SimulatorSettings(host, port, apiUser, apiPassword, watchdogTimeout, internalBilling,
                allowMultipleStbUpdate, catalogueFile, eventLoops, directory);
    }
}
