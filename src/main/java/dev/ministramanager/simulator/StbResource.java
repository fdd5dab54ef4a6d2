package dev.ministramanager.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** STB: the device view of a {@code users} row, addressed by MAC or account number. */
final class StbResource {

    private static final List<String> STB_FIELDS = List.of("mac", "login", "password", "status",
            "additional_services_on", "ls", "end_date", "account_balance");

    private final MinistraState state;

    StbResource(MinistraState state) {
        this.state = state;
    }

    Object handle(ApiCall call) {
        return switch (call.action) {
            case "get" -> stbList(call.deviceRows(state));
            case "update" -> updateStb(call);
            case "create" -> createStb(call);
            default -> {
                if (call.idCount() == 0) {
                    throw new ApiError("Identifier required");
                }
                List<Account> rows = call.deviceRows(state);
                if (rows.isEmpty()) {
                    throw new ApiError("STB not found");
                }
                rows.forEach(state::delete);
                yield true;
            }
        };
    }

    private List<Object> stbList(List<Account> rows) {
        List<Object> list = new ArrayList<>(rows.size());
        for (Account row : rows) {
            list.add(stbInfo(row));
        }
        return list;
    }

    private Map<String, Object> stbInfo(Account row) {
        Map<String, Object> item = new LinkedHashMap<>(16);
        item.put("mac", row.mac);
        item.put("ip", row.ip);
        item.put("ls", row.accountNumber);
        item.put("version", row.version);
        item.put("status", row.status == 0 ? 1 : 0);
        item.put("additional_services_on", row.additionalServicesOn);
        item.put("last_active", row.lastActive);
        item.put("login", row.login);
        item.put("account_balance", row.accountBalance);
        item.put("online", state.isOnline(row) ? "1" : "0");
        if (state.internalBilling()) {
            item.put("end_date", row.expireBillingDate);
        }
        return item;
    }

    private Object updateStb(ApiCall call) {
        if (call.data.isEmpty()) {
            throw new ApiError("HTTP PUT data is empty");
        }
        boolean hasStatus = call.data.containsKey("status");
        boolean hasReboot = call.data.containsKey("reboot");
        boolean hasServices = call.data.containsKey("additional_services_on");
        boolean hasLs = call.data.containsKey("ls");
        boolean hasEndDate = call.data.get("end_date") != null;
        if (!hasStatus && !hasReboot && !hasServices && !hasLs && !hasEndDate) {
            throw new ApiError("Update data is empty");
        }
        if (call.idCount() == 0 && !state.allowMultipleStbUpdate()) {
            throw new ApiError("Identifier required");
        }
        List<Account> rows = call.deviceRows(state);
        if (rows.isEmpty()) {
            return false;
        }
        // Stb::updateByUids: queuing the reboot resets the shared query builder's WHERE clause, so the other
        // fields of the same request are written to every row of the table (API-SPEC §3.4)
        List<Account> written = hasReboot && (hasStatus || hasServices || hasLs || hasEndDate)
                ? new ArrayList<>(state.all()) : rows;
        for (Account row : written) {
            if (hasStatus) {
                row.status = PhpValues.isTruthy(call.data.get("status")) ? 0 : 1;
            }
            if (hasServices) {
                row.additionalServicesOn = String.valueOf(PhpValues.intval(call.data.get("additional_services_on")));
            }
            if (hasLs) {
                state.setAccountNumber(row, StoredValues.varchar(call.data.get("ls"), 64));
            }
            if (hasEndDate) {
                row.expireBillingDate = StoredValues.mysqlDateTime(PhpValues.string(call.data.get("end_date")));
            }
        }
        for (Account row : rows) {
            if (hasReboot) {
                state.queueEvent(row, "reboot", "", 0, 0, 1, 0, "", null);
            }
            if (hasStatus) {
                state.queueEvent(row, row.status == 1 ? "cut_off" : "cut_on", "", 0, 0, 1, 0, "", null);
            }
        }
        return stbList(rows);
    }

    private Object createStb(ApiCall call) {
        Map<String, Object> fields = call.acceptedFields(STB_FIELDS);
        ApiCall.normalizeMacField(fields, "mac");
        if (PhpValues.isEmpty(fields.get("mac"))
                && (PhpValues.isEmpty(fields.get("login")) || PhpValues.isEmpty(fields.get("password")))) {
            throw new ApiError("Login and password required");
        }
        if (!PhpValues.isEmpty(fields.get("mac")) && state.firstByMac(PhpValues.string(fields.get("mac"))) != null) {
            throw new ApiError("Stb already exists");
        }
        Account row = state.insert();
        state.setMac(row, PhpValues.string(fields.get("mac")));
        state.setLogin(row, PhpValues.isEmpty(fields.get("login")) && !PhpValues.isEmpty(fields.get("password"))
                ? String.valueOf(row.id) : StoredValues.varchar(fields.get("login"), 64));
        if (!PhpValues.isEmpty(fields.get("password"))) {
            row.passwordHash = StoredValues.passwordHash(PhpValues.string(fields.get("password")), row.id);
        }
        if (fields.containsKey("status")) {
            // stored as sent, not inverted: status=1 creates a disabled device
            row.status = (int) PhpValues.intval(fields.get("status"));
        }
        if (fields.containsKey("additional_services_on")) {
            row.additionalServicesOn = String.valueOf(PhpValues.intval(fields.get("additional_services_on")));
        }
        if (fields.containsKey("ls")) {
            state.setAccountNumber(row, StoredValues.varchar(fields.get("ls"), 64));
        }
        if (fields.get("end_date") != null) {
            row.expireBillingDate = StoredValues.mysqlDateTime(PhpValues.string(fields.get("end_date")));
        }
        if (fields.containsKey("account_balance")) {
            row.accountBalance = StoredValues.varchar(fields.get("account_balance"), 16);
        }
        Object serial = call.data.containsKey("sn") ? call.data.get("sn") : call.query.get("sn");
        if (serial != null) {
            row.serialNumber = PhpValues.string(serial);
        }
        return stbInfo(row);
    }
}
