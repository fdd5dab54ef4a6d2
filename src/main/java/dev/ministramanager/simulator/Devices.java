package dev.ministramanager.simulator;

import java.util.List;
import java.util.Optional;

/**
 * The boxes' side of Ministra: a box that loads the portal registers (serial, model, firmware, IP) and then polls
 * the watchdog, which keeps it {@code online} and hands it its pending events. Same operations as the control API
 * under {@code /_sim/devices}.
 */
public final class Devices {

    /** A device row as the box side sees it. */
    public record Device(String mac, String login, String accountNumber, String serialNumber, String stbType,
                         String version, String ip, boolean online, int status, String lastActive) {
    }

    private final MinistraState state;
    /** Told after every change, so that a kept state is written. */
    private final Runnable changed;

    Devices(MinistraState state, Runnable changed) {
        this.state = state;
        this.changed = changed;
    }

    /**
     * A box loads the portal: the row with this MAC gets serial, model, firmware version and IP and counts as
     * alive. Without such a row a blank one is added, as the portal's {@code auto_add_stb} does.
     *
     * @throws IllegalArgumentException when the MAC is not one Ministra would accept
     */
    public Device register(String mac, String serialNumber, String stbType, String version, String ip) {
        String normalized = MacAddress.normalize(mac);
        if (normalized == null) {
            throw new IllegalArgumentException("not a MAC address Ministra accepts: " + mac);
        }
        synchronized (state) {
            Account row = state.firstByMac(normalized);
            if (row == null) {
                row = state.insert();
                state.setMac(row, normalized);
            }
            row.serialNumber = nullToEmpty(serialNumber);
            row.stbType = nullToEmpty(stbType);
            row.version = nullToEmpty(version);
            row.ip = nullToEmpty(ip);
            touch(row);
            changed.run();
            return snapshot(row);
        }
    }

    /** A watchdog poll: the box stays online for {@code watchdog_timeout}. Empty when no row has this MAC. */
    public Optional<Device> keepAlive(String mac) {
        synchronized (state) {
            Account row = row(mac);
            if (row == null) {
                return Optional.empty();
            }
            touch(row);
            changed.run();
            return Optional.of(snapshot(row));
        }
    }

    public Optional<Device> find(String mac) {
        synchronized (state) {
            Account row = row(mac);
            return row == null ? Optional.empty() : Optional.of(snapshot(row));
        }
    }

    public boolean isOnline(String mac) {
        return find(mac).map(Device::online).orElse(false);
    }

    /** Events the box would receive now (unexpired, undelivered), without delivering them. */
    public List<DeviceEvent> pendingEvents(String mac) {
        synchronized (state) {
            Account row = row(mac);
            return row == null ? List.of() : state.pendingEvents(row);
        }
    }

    /** Delivers the pending events to the box: they are returned once and never again. */
    public List<DeviceEvent> takePendingEvents(String mac) {
        synchronized (state) {
            Account row = row(mac);
            if (row == null) {
                return List.of();
            }
            List<DeviceEvent> pending = state.pendingEvents(row);
            state.markDelivered(pending);
            changed.run();
            return pending;
        }
    }

    /** Every event ever queued for the box (delivered, expired or not), in queue order. */
    public List<DeviceEvent> allEvents(String mac) {
        synchronized (state) {
            Account row = row(mac);
            return row == null ? List.of() : state.events(row);
        }
    }

    private Account row(String mac) {
        String normalized = MacAddress.normalize(mac);
        return normalized == null ? null : state.firstByMac(normalized);
    }

    private void touch(Account row) {
        row.keepAlive = state.now();
        row.lastActive = state.dbNow();
    }

    private Device snapshot(Account row) {
        return new Device(row.mac, row.login, row.accountNumber, row.serialNumber, row.stbType, row.version, row.ip,
                state.isOnline(row), row.status == 0 ? 1 : 0, row.lastActive);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
