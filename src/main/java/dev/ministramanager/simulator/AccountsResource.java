package dev.ministramanager.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ACCOUNTS (addressed by account number) and USERS (by login): one handler, as on the server. */
final class AccountsResource {

    private static final List<String> ACCOUNT_FIELDS = List.of("login", "password", "full_name", "phone",
            "account_number", "tariff_plan", "status", "stb_mac", "comment", "end_date", "account_balance");

    private final MinistraState state;

    AccountsResource(MinistraState state) {
        this.state = state;
    }

    Object handle(ApiCall call, boolean byLogin) {
        return switch (call.action) {
            case "get" -> {
                List<Object> accounts = getAccounts(call, byLogin);
                yield byLogin && !accounts.isEmpty() ? accounts.get(0) : accounts;
            }
            case "create" -> createAccount(call);
            case "update" -> updateAccounts(call, byLogin);
            default -> deleteAccounts(call, byLogin);
        };
    }

    private List<Account> accountRows(ApiCall call, boolean byLogin) {
        if (call.firstIdIsMacLength() && call.firstId().indexOf(':') > 0) {
            return state.findByMacs(call.identifiers);
        }
        if (call.identifiers == null) {
            return new ArrayList<>(state.all());
        }
        return byLogin ? state.findByLogins(call.identifiers) : state.findByAccountNumbers(call.identifiers);
    }

    private List<Object> getAccounts(ApiCall call, boolean byLogin) {
        List<Account> rows = accountRows(call, byLogin);
        if (call.idCount() == 1 && rows.isEmpty()) {
            throw new ApiError("Account not found");
        }
        if (call.identifiers != null && call.idCount() > rows.size()) {
            throw new ApiError("One or more identifiers are incorrect");
        }
        List<Object> result = new ArrayList<>(rows.size());
        for (Account row : rows) {
            result.add(AccountInfo.of(state, row));
        }
        return result;
    }

    private Object createAccount(ApiCall call) {
        Map<String, Object> fields = call.acceptedFields(ACCOUNT_FIELDS);
        ApiCall.normalizeMacField(fields, "stb_mac");
        if (PhpValues.isEmpty(fields.get("login"))) {
            throw new ApiError("Login required");
        }
        if (state.firstByLogin(PhpValues.string(fields.get("login"))) != null) {
            throw new ApiError("Login already in use");
        }
        if (!PhpValues.isEmpty(fields.get("stb_mac"))
                && state.firstByMac(PhpValues.string(fields.get("stb_mac"))) != null) {
            throw new ApiError("MAC address already in use");
        }
        Account row = state.insert();
        state.setLogin(row, StoredValues.varchar(fields.get("login"), 64));
        if (fields.containsKey("status")) {
            row.status = PhpValues.isTruthy(fields.get("status")) ? 0 : 1;
        }
        if (fields.containsKey("tariff_plan")) {
            row.tariffPlanId = state.catalogue().planIdByExternalId(PhpValues.string(fields.get("tariff_plan")));
        }
        if (!PhpValues.isEmpty(fields.get("password"))) {
            row.passwordHash = StoredValues.passwordHash(PhpValues.string(fields.get("password")), row.id);
        }
        applyPlainFields(row, fields);
        if (fields.containsKey("stb_mac")) {
            state.setMac(row, PhpValues.string(fields.get("stb_mac")));
        }
        return true;
    }

    private Object updateAccounts(ApiCall call, boolean byLogin) {
        Map<String, Object> fields = call.acceptedFields(ACCOUNT_FIELDS);
        List<Account> rows = singleIdentifierRows(call, byLogin);
        if (!PhpValues.isEmpty(fields.get("login"))) {
            Account owner = state.firstByLogin(PhpValues.string(fields.get("login")));
            if (owner != null && (owner.id != rows.get(0).id || rows.size() > 1)) {
                throw new ApiError("Login already in use");
            }
        }
        for (Account row : rows) {
            updateAccount(row, fields);
        }
        return true;
    }

    /** User::updateAccount: status (with its event) first, then password, then everything else in one UPDATE. */
    private void updateAccount(Account row, Map<String, Object> fields) {
        if (fields.containsKey("status")) {
            int stored = PhpValues.isTruthy(fields.get("status")) ? 0 : 1;
            if (stored != row.status) {
                row.status = stored;
                state.queueEvent(row, stored == 1 ? "cut_off" : "cut_on", "", 0, 0, 1, 0, "", null);
            }
            if (fields.size() == 1) {
                return;
            }
        }
        boolean planColumnUnknown = fields.containsKey("tariff_plan") && PhpValues.isEmpty(fields.get("tariff_plan"));
        if (!PhpValues.isEmpty(fields.get("password"))) {
            row.passwordHash = StoredValues.passwordHash(PhpValues.string(fields.get("password")), row.id);
        }
        if (planColumnUnknown) {
            throw new ApiError("Query failed by reason : Unknown column 'tariff_plan' in 'field list' ("
                    + updateStatement(row, fields) + ")");
        }
        if (fields.containsKey("tariff_plan")) {
            row.tariffPlanId = state.catalogue().planIdByExternalId(PhpValues.string(fields.get("tariff_plan")));
        }
        if (fields.containsKey("stb_mac")) {
            String mac = PhpValues.string(fields.get("stb_mac"));
            state.setMac(row, mac);
            if (!mac.isEmpty()) {
                row.accessToken = "";
                row.deviceId = "";
                row.deviceId2 = "";
            }
        }
        if (fields.containsKey("login")) {
            state.setLogin(row, StoredValues.varchar(fields.get("login"), 64));
        }
        applyPlainFields(row, fields);
    }

    private static String updateStatement(Account row, Map<String, Object> fields) {
        StringBuilder sql = new StringBuilder("UPDATE users SET ");
        boolean first = true;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (field.getKey().equals("status") || field.getKey().equals("password")) {
                continue;
            }
            String column = switch (field.getKey()) {
                case "full_name" -> "fname";
                case "account_number" -> "ls";
                case "stb_mac" -> "mac";
                case "end_date" -> "expire_billing_date";
                default -> field.getKey();
            };
            sql.append(first ? "" : ", ").append('`').append(column).append("`='")
                    .append(PhpValues.string(field.getValue()).replace("'", "\\'")).append('\'');
            first = false;
        }
        return sql.append(" WHERE id='").append(row.id).append('\'').toString();
    }

    private void applyPlainFields(Account row, Map<String, Object> fields) {
        if (fields.containsKey("full_name")) {
            row.fullName = StoredValues.varchar(fields.get("full_name"), 64);
        }
        if (fields.containsKey("phone")) {
            row.phone = StoredValues.varchar(fields.get("phone"), 64);
        }
        if (fields.containsKey("account_number")) {
            state.setAccountNumber(row, StoredValues.varchar(fields.get("account_number"), 64));
        }
        if (fields.containsKey("comment")) {
            row.comment = PhpValues.string(fields.get("comment"));
        }
        if (fields.containsKey("end_date")) {
            row.expireBillingDate = StoredValues.mysqlDateTime(PhpValues.string(fields.get("end_date")));
        }
        if (fields.containsKey("account_balance")) {
            row.accountBalance = StoredValues.varchar(fields.get("account_balance"), 16);
        }
    }

    /** ACCOUNTS/USERS PUT and DELETE: exactly one identifier, which must match (one or more rows). */
    private List<Account> singleIdentifierRows(ApiCall call, boolean byLogin) {
        if (call.idCount() == 0) {
            throw new ApiError("Identifier required");
        }
        List<Account> rows = accountRows(call, byLogin);
        if (call.idCount() == 1 && rows.isEmpty()) {
            throw new ApiError("Account not found");
        }
        if (call.idCount() > 1) {
            throw new ApiError("Only one identifier allowed");
        }
        return rows;
    }

    private Object deleteAccounts(ApiCall call, boolean byLogin) {
        List<Account> rows = singleIdentifierRows(call, byLogin);
        for (Account row : rows) {
            state.delete(row);
        }
        return true;
    }
}
