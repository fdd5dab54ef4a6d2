package dev.ministramanager.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated database kept in a directory ({@link SimulatorSettings#stateDir()}), so that a restarted simulator
 * still has its accounts, plans, settings and queued events: one JSON file, {@code ministra-state.json}, replaced
 * atomically (written to a temporary file, forced to the disk, then renamed over the old one).
 *
 * <p>A write to the Ministra API is answered only once a file holding it is on the disk (group commit: one writer
 * thread writes the whole state again as soon as there is anything new, and releases every answer whose change the
 * file holds), so an acknowledged write survives a restart and a kill. Changes through the control API and the boxes'
 * keep-alives are written by the same thread without holding any answer. Faults, the write log and the request
 * tallies are the running simulator's own and are not kept.
 */
final class StateFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);
    static final String FILE_NAME = "ministra-state.json";

    private final Path file;
    private final Path temporary;
    private final MinistraState state;
    private final Thread writer;
    private final Object lock = new Object();
    private List<Runnable> waiting = new ArrayList<>();
    private boolean changed;
    private boolean closing;

    private StateFile(Path directory, MinistraState state) {
        this.file = directory.resolve(FILE_NAME);
        this.temporary = directory.resolve(FILE_NAME + ".tmp");
        this.state = state;
        this.writer = new Thread(this::writeWhileOpen, "ministra-simulator-state-file");
        this.writer.setDaemon(true);
    }

    /** Loads the directory's state into {@code state} when there is one (else leaves it fresh) and starts writing. */
    static StateFile open(Path directory, MinistraState state) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(FILE_NAME);
            if (Files.exists(file)) {
                JsonObject saved = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
                synchronized (state) {
                    restore(saved, state);
                }
                LOG.info("Ministra simulator state read from {} ({} accounts)", file, state.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator state in " + directory, e);
        }
        StateFile stateFile = new StateFile(directory, state);
        stateFile.writer.start();
        return stateFile;
    }

    /** Runs {@code answer} once the state as it is now is on the disk. */
    void afterWritten(Runnable answer) {
        synchronized (lock) {
            if (closing) {
                answer.run();
                return;
            }
            waiting.add(answer);
            changed = true;
            lock.notifyAll();
        }
    }

    /** The state changed (control API, keep-alive): written soon, without holding anyone. */
    void changed() {
        synchronized (lock) {
            changed = true;
            lock.notifyAll();
        }
    }

    /** Writes what is left and stops the writer. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            writer.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeWhileOpen() {
        while (true) {
            List<Runnable> released;
            boolean last;
            synchronized (lock) {
                while (!changed && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!changed) {
                    return;
                }
                // the answers taken now are for changes made before the state is read below
                released = waiting;
                waiting = new ArrayList<>();
                changed = false;
                last = closing;
            }
            try {
                write();
            } catch (IOException | RuntimeException e) {
                // answered anyway: a simulator that stops answering helps nobody; the next write may succeed
                LOG.error("Ministra simulator state not written to {}", file, e);
            }
            released.forEach(StateFile::runQuietly);
            if (last) {
                synchronized (lock) {
                    if (!changed) {
                        return;
                    }
                }
            }
        }
    }

    private void write() throws IOException {
        byte[] json;
        synchronized (state) {
            json = save(state).encode().getBytes(StandardCharsets.UTF_8);
        }
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(json);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void runQuietly(Runnable answer) {
        try {
            answer.run();
        } catch (RuntimeException e) {
            LOG.warn("Ministra simulator answer after a state write failed", e);
        }
    }

    // ---- the file's shape ----

    static JsonObject save(MinistraState state) {
        JsonArray rows = new JsonArray();
        JsonArray events = new JsonArray();
        for (Account row : state.all()) {
            rows.add(new JsonObject().put("id", row.id).put("created", row.created).put("login", row.login)
                    .put("password_hash", row.passwordHash).put("full_name", row.fullName).put("phone", row.phone)
                    .put("account_number", row.accountNumber).put("mac", row.mac).put("status", row.status)
                    .put("tariff_plan_id", row.tariffPlanId).put("comment", row.comment)
                    .put("expire_billing_date", row.expireBillingDate).put("account_balance", row.accountBalance)
                    .put("serial_number", row.serialNumber).put("stb_type", row.stbType).put("ip", row.ip)
                    .put("version", row.version).put("last_active", row.lastActive)
                    .put("additional_services_on", row.additionalServicesOn).put("access_token", row.accessToken)
                    .put("device_id", row.deviceId).put("device_id2", row.deviceId2)
                    .put("keep_alive", row.keepAlive == null ? null : row.keepAlive.toString())
                    .put("subscribed", new JsonArray(new ArrayList<>(row.subscribedPackageIds))));
            for (DeviceEvent event : state.events(row)) {
                events.add(new JsonObject().put("id", event.id()).put("account_id", event.accountId())
                        .put("event", event.event()).put("msg", event.msg()).put("need_confirm", event.needConfirm())
                        .put("reboot_after_ok", event.rebootAfterOk()).put("priority", event.priority())
                        .put("auto_hide_timeout", event.autoHideTimeout()).put("param1", event.param1())
                        .put("added_at", event.addedAt().toString()).put("expires_at", event.expiresAt().toString())
                        .put("delivered", state.isDelivered(event)));
            }
        }
        return new JsonObject().put("format", 1).put("catalogue", state.catalogue().toJson())
                .put("enable_internal_billing", state.internalBilling())
                .put("allow_multiple_stb_update", state.allowMultipleStbUpdate())
                .put("watchdog_timeout_seconds", state.watchdogTimeout().toSeconds())
                .put("next_account_id", state.nextAccountId()).put("next_event_id", state.nextEventId())
                .put("accounts", rows).put("events", events);
    }

    static void restore(JsonObject saved, MinistraState state) {
        state.catalogue(Catalogue.fromJson(saved.getJsonObject("catalogue").encode()));
        state.internalBilling(saved.getBoolean("enable_internal_billing"));
        state.allowMultipleStbUpdate(saved.getBoolean("allow_multiple_stb_update"));
        state.watchdogTimeout(Duration.ofSeconds(saved.getLong("watchdog_timeout_seconds")));
        for (Object item : saved.getJsonArray("accounts")) {
            JsonObject r = (JsonObject) item;
            Account row = new Account(r.getLong("id"), r.getString("created"));
            row.passwordHash = r.getString("password_hash");
            row.fullName = r.getString("full_name");
            row.phone = r.getString("phone");
            row.status = r.getInteger("status");
            row.tariffPlanId = r.getLong("tariff_plan_id");
            row.comment = r.getString("comment");
            row.expireBillingDate = r.getString("expire_billing_date");
            row.accountBalance = r.getString("account_balance");
            row.serialNumber = r.getString("serial_number");
            row.stbType = r.getString("stb_type");
            row.ip = r.getString("ip");
            row.version = r.getString("version");
            row.lastActive = r.getString("last_active");
            row.additionalServicesOn = r.getString("additional_services_on");
            row.accessToken = r.getString("access_token");
            row.deviceId = r.getString("device_id");
            row.deviceId2 = r.getString("device_id2");
            row.keepAlive = r.getString("keep_alive") == null ? null : Instant.parse(r.getString("keep_alive"));
            r.getJsonArray("subscribed").forEach(id -> row.subscribedPackageIds.add((String) id));
            state.restore(row, r.getString("login"), r.getString("account_number"), r.getString("mac"));
        }
        for (Object item : saved.getJsonArray("events")) {
            JsonObject e = (JsonObject) item;
            state.restore(new DeviceEvent(e.getLong("id"), e.getLong("account_id"), e.getString("event"),
                    e.getString("msg"), e.getInteger("need_confirm"), e.getInteger("reboot_after_ok"),
                    e.getInteger("priority"), e.getInteger("auto_hide_timeout"), e.getString("param1"),
                    Instant.parse(e.getString("added_at")), Instant.parse(e.getString("expires_at"))),
                    e.getBoolean("delivered"));
        }
        state.restoreCounters(saved.getLong("next_account_id"), saved.getLong("next_event_id"));
    }
}
