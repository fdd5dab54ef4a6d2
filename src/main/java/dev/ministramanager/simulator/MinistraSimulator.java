package dev.ministramanager.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A faithful simulator of the Ministra (Stalker) REST API v1 on its own Vert.x instance: the API under
 * {@code /stalker_portal/api/} and {@code /stalker_portal/api/v1/}, a control API under {@code /_sim/} (see
 * {@link ControlApi}), fault injection and a write log. Imports nothing of the service it is a test bed for.
 * This class is the simulator's face to its users (tests, the embedded mode, {@link SimulatorMain}); the port is
 * {@link ListeningPort}, the request pipeline {@link ApiRequests}, the Ministra API itself {@link RestApi}.
 */
public final class MinistraSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MinistraSimulator.class);
    /** What the php_warning fault puts before the JSON (and the output_key fault into it). */
    static final String PHP_WARNING = "<br />\n<b>Warning</b>:  count(): Parameter must be an array or an object "
            + "that implements Countable in <b>/var/www/stalker_portal/server/lib/user.class.php</b> on line "
            + "<b>1043</b><br />\n";
    /** Apache's LimitRequestLine default, in front of a real Ministra: longer request lines are answered 414. */
    static final int APACHE_LIMIT_REQUEST_LINE = 8190;

    private final SimulatorSettings settings;
    private final Vertx vertx;
    private final MinistraState state;
    private final Faults faults;
    private final Devices devices;
    /** Where the state is kept across restarts; null = in memory only. */
    private final StateFile stateFile;
    private final ApiRequests requests;
    private final ListeningPort listeningPort;
    /** Times latencies, slow answers and the ends of outages (see {@link ApiRequests} and {@link ListeningPort}). */
    private final ScheduledExecutorService delays =
            Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "ministra-simulator-delays");
                thread.setDaemon(true);
                return thread;
            });

    private MinistraSimulator(SimulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.faults = new Faults(clock);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops())
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
        this.state = new MinistraState(seedCatalogue(), settings, clock);
        this.stateFile = settings.stateDir() == null ? null : StateFile.open(settings.stateDir(), state);
        this.devices = new Devices(state, this::stateChanged);
        this.requests = new ApiRequests(vertx, state, new RestApi(state, settings.apiUser(), settings.apiPassword()),
                faults, new ControlApi(this), stateFile, delays);
        this.listeningPort = new ListeningPort(vertx, settings, faults, delays, requests::handle);
        faults.outageListener(listeningPort::outageChanged);
    }

    /** Starts listening and returns once the socket is bound; port 0 picks a free port. */
    public static MinistraSimulator start(SimulatorSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /**
     * As {@link #start(SimulatorSettings)}, with the clock that dates rows, ages events, decides who is online and
     * ends lasting faults (a test advances it instead of sleeping).
     */
    public static MinistraSimulator start(SimulatorSettings settings, Clock clock) {
        MinistraSimulator simulator = new MinistraSimulator(settings, clock);
        try {
            simulator.listeningPort.open();
        } catch (RuntimeException e) {
            simulator.vertx.close();
            if (simulator.stateFile != null) {
                simulator.stateFile.close();
            }
            throw e;
        }
        LOG.info("Ministra simulator listening on {}", simulator.apiBaseUrl());
        return simulator;
    }

    public int port() {
        return listeningPort.port();
    }

    public String host() {
        return settings.host();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** {@code http://<host>:<port>/stalker_portal/api/v1/} */
    public String apiBaseUrl() {
        return baseUrl() + "/stalker_portal/api/v1/";
    }

    /** {@code http://<host>:<port>}, where the control API lives under {@code /_sim/}. */
    public String baseUrl() {
        return "http://" + settings.host() + ":" + port();
    }

    /** Back to the seed catalogue and the configured switches: no accounts, events, faults or write-log entries. */
    public void reset() {
        faults.clear();
        synchronized (state) {
            state.reset(seedCatalogue(), settings);
        }
        requests.clear();
        stateChanged();
    }

    /**
     * Replaces the tariff plans and packages, as an operator editing them in the admin panel would; accounts keep
     * their plan ids (a plan id that no longer exists reads back as the default plan, as on the real server).
     * {@code json} has the shape of {@code Catalogue.fromJson}; {@link #reset()} brings back the seed catalogue.
     */
    public void replaceCatalogue(String json) {
        Catalogue catalogue = Catalogue.fromJson(json);
        synchronized (state) {
            state.catalogue(catalogue);
        }
        stateChanged();
    }

    /**
     * How many requests to the Ministra API arrived with this method for this resource since the last reset,
     * faulted ones included (reads are not in the write log).
     */
    public long requestCount(String method, String resource) {
        return requests.requestCount(method, resource);
    }

    public Faults faults() {
        return faults;
    }

    /** Every mutating request (POST, PUT, DELETE) to the Ministra API so far, in arrival order. */
    public List<WriteLogEntry> writeLog() {
        return requests.writeLog();
    }

    public void clearWriteLog() {
        requests.clearWriteLog();
    }

    public Devices devices() {
        return devices;
    }

    /** {@code enable_internal_billing}: whether account and STB reads carry {@code end_date}. */
    public void internalBilling(boolean enabled) {
        synchronized (state) {
            state.internalBilling(enabled);
        }
        stateChanged();
    }

    /** {@code allow_multiple_stb_update}: whether {@code PUT /stb} without identifier updates every row. */
    public void allowMultipleStbUpdate(boolean allowed) {
        synchronized (state) {
            state.allowMultipleStbUpdate(allowed);
        }
        stateChanged();
    }

    public void watchdogTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("watchdog timeout must be positive");
        }
        synchronized (state) {
            state.watchdogTimeout(timeout);
        }
        stateChanged();
    }

    /**
     * Adds {@code count} accounts at once, numbered 1..count: login and account number {@code <prefix><i>}, MAC
     * {@code 00:1A:79} followed by the 24 low bits of i, plan basic, enabled, no password.
     */
    public void loadAccounts(int count, String loginPrefix) {
        long basic;
        synchronized (state) {
            basic = state.catalogue().planIdByExternalId("basic");
            for (int i = 1; i <= count; i++) {
                Account row = state.insert();
                state.setLogin(row, loginPrefix + i);
                state.setAccountNumber(row, loginPrefix + i);
                state.setMac(row, MacAddress.fromIndex(i));
                row.tariffPlanId = basic;
            }
        }
        stateChanged();
    }

    /** State dump: every row as the accounts resource shows it, plus the internal id and the pending events. */
    public List<Map<String, Object>> accountsSnapshot() {
        synchronized (state) {
            List<Map<String, Object>> rows = new ArrayList<>(state.size());
            for (Account row : state.all()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("id", row.id);
                item.putAll(AccountInfo.of(state, row));
                item.put("status", row.status == 0 ? 1 : 0);
                item.put("password_set", !row.passwordHash.isEmpty());
                item.put("tariff_plan_id", row.tariffPlanId);
                item.put("additional_services_on", row.additionalServicesOn);
                item.put("end_date", row.expireBillingDate);
                item.put("pending_events", state.pendingEvents(row).stream().map(DeviceEvent::event).toList());
                rows.add(item);
            }
            return rows;
        }
    }

    /** The stored password hash of the row with this login (md5(md5(password) + row id)), or null. */
    public String passwordHash(String login) {
        synchronized (state) {
            Account row = state.firstByLogin(login);
            return row == null ? null : row.passwordHash;
        }
    }

    @Override
    public void close() {
        if (stateFile != null) {
            // the last changes reach the disk and their answers go out before the server stops
            stateFile.close();
        }
        delays.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Ministra simulator did not stop cleanly", e);
        }
    }

    private void stateChanged() {
        if (stateFile != null) {
            stateFile.changed();
        }
    }

    private Catalogue seedCatalogue() {
        return settings.catalogueFile() == null ? Catalogue.seed() : Catalogue.fromFile(settings.catalogueFile());
    }

    /** For the control API. */
    MinistraState state() {
        return state;
    }
}
