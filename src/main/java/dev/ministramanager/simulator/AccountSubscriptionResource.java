package dev.ministramanager.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** ACCOUNT_SUBSCRIPTION: the optional packages of an account's plan, read, replaced, changed and cleared. */
final class AccountSubscriptionResource {

    private final MinistraState state;

    AccountSubscriptionResource(MinistraState state) {
        this.state = state;
    }

    Object handle(ApiCall call) {
        return switch (call.action) {
            case "get" -> get(call);
            case "create" -> replace(call);
            case "update" -> change(call);
            default -> clear(call);
        };
    }

    private List<Account> subscriptionRows(ApiCall call) {
        List<Account> rows = call.deviceRows(state);
        if (call.idCount() == 1 && rows.isEmpty()) {
            throw new ApiError("Account not found");
        }
        if (call.idCount() > 1) {
            throw new ApiError("Only one identifier allowed");
        }
        return rows;
    }

    private Object get(ApiCall call) {
        List<Object> result = new ArrayList<>();
        for (Account row : subscriptionRows(call)) {
            Map<String, Object> info = AccountInfo.of(state, row);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("mac", row.mac.isEmpty() ? null : row.mac);
            item.put("subscribed", info.get("subscribed"));
            item.put("subscribed_id", info.get("subscribed_id"));
            result.add(item);
        }
        return result;
    }

    /** POST: the given packages become the subscription (those not given are unsubscribed). */
    private Object replace(ApiCall call) {
        if (call.data.isEmpty()) {
            throw new ApiError("HTTP POST data is empty");
        }
        if (!call.data.containsKey("subscribed") && !call.data.containsKey("subscribed_id")) {
            throw new ApiError("Insert data is empty");
        }
        Object subscribed = call.data.get("subscribed");
        Object subscribedId = call.data.get("subscribed_id");
        boolean result = true;
        for (Account row : subscriptionRows(call)) {
            List<String> current = new ArrayList<>();
            List<String> currentIds = new ArrayList<>();
            for (Catalogue.ServicePackage pkg : AccountInfo.subscribedPackages(state, row)) {
                current.add(pkg.externalId());
                currentIds.add(pkg.id());
            }
            List<String> given = PhpValues.isEmpty(subscribed) ? null
                    : arrayArgument(call, subscribed, List.of("array_unique", "array_diff"), List.of(1, 2),
                            List.of(67, 69));
            List<String> givenIds = PhpValues.isEmpty(subscribedId) ? null
                    : arrayArgument(call, subscribedId, List.of("array_diff"), List.of(2), List.of(70));
            List<String> subscribe = given == null ? List.of() : given;
            List<String> subscribeIds = givenIds == null ? List.of() : givenIds;
            List<String> unsubscribe = given == null ? List.of() : difference(current, given);
            List<String> unsubscribeIds = givenIds == null ? List.of() : difference(currentIds, givenIds);
            boolean changed = changeSubscriptions(call, row, subscribe, subscribeIds, unsubscribe, unsubscribeIds);
            result = result && changed;
        }
        return result;
    }

    /** PUT: subscribes and unsubscribes the packages named, leaves the others. */
    private Object change(ApiCall call) {
        if (call.data.isEmpty()) {
            throw new ApiError("HTTP PUT data is empty");
        }
        if (!call.data.containsKey("subscribed") && !call.data.containsKey("subscribed_id")
                && !call.data.containsKey("unsubscribed") && !call.data.containsKey("unsubscribed_id")) {
            throw new ApiError("Insert data is empty");
        }
        List<String> subscribe = scalarOrArray(call.data.get("subscribed"));
        List<String> subscribeIds = arrayOnly(call.data.get("subscribed_id"));
        List<String> unsubscribe = scalarOrArray(call.data.get("unsubscribed"));
        List<String> unsubscribeIds = arrayOnly(call.data.get("unsubscribed_id"));
        boolean result = true;
        for (Account row : subscriptionRows(call)) {
            boolean changed = changeSubscriptions(call, row, subscribe, subscribeIds, unsubscribe, unsubscribeIds);
            result = result && changed;
        }
        return result;
    }

    /** DELETE: unsubscribes every optional package. */
    private Object clear(ApiCall call) {
        boolean result = true;
        for (Account row : subscriptionRows(call)) {
            List<String> current = new ArrayList<>();
            for (Catalogue.ServicePackage pkg : AccountInfo.subscribedPackages(state, row)) {
                current.add(pkg.externalId());
            }
            boolean changed = changeSubscriptions(call, row, List.of(), List.of(), current, List.of());
            result = result && changed;
        }
        return result;
    }

    /**
     * A POST value that PHP passes to array functions: a scalar makes PHP 5 print one warning per function (captured
     * in the {@code output} key) and get null back, so nothing is done with it.
     *
     * @return the array's values, or null for a scalar
     */
    private static List<String> arrayArgument(ApiCall call, Object value, List<String> functions,
                                              List<Integer> parameters, List<Integer> lines) {
        if (value instanceof Map<?, ?> array) {
            List<String> values = new ArrayList<>();
            for (Object v : array.values()) {
                values.add(PhpValues.string(v));
            }
            return values;
        }
        for (int i = 0; i < functions.size(); i++) {
            call.output.append("<br />\n<b>Warning</b>:  ").append(functions.get(i)).append("() expects parameter ")
                    .append(parameters.get(i)).append(" to be array, string given in <b>/var/www/stalker_portal/"
                            + "server/lib/restapi/v1/restcommandaccountsubscription.class.php</b> on line <b>")
                    .append(lines.get(i)).append("</b><br />\n");
        }
        return null;
    }

    private static List<String> difference(List<String> from, List<String> remove) {
        List<String> result = new ArrayList<>(from);
        result.removeAll(remove);
        return result;
    }

    private static List<String> scalarOrArray(Object value) {
        if (PhpValues.isEmpty(value)) {
            return List.of();
        }
        return value instanceof Map<?, ?> ? arrayOnly(value) : List.of(PhpValues.string(value));
    }

    private static List<String> arrayOnly(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof Map<?, ?> array) {
            for (Object v : array.values()) {
                values.add(PhpValues.string(v));
            }
        }
        return values;
    }

    /**
     * User::updateOptionalPackageSubscription: only optional packages of the current plan; each change queues a
     * "message, then reboot" event (replacing unsent ones). True iff something changed.
     */
    private boolean changeSubscriptions(ApiCall call, Account row, List<String> subscribe, List<String> subscribeIds,
                                        List<String> unsubscribe, List<String> unsubscribeIds) {
        Catalogue.TariffPlan plan = state.catalogue().effectivePlan(row.tariffPlanId).orElse(null);
        if (plan == null) {
            return false;
        }
        Set<String> toSubscribe = new LinkedHashSet<>();
        Set<String> toUnsubscribe = new LinkedHashSet<>();
        for (Catalogue.PlanPackage member : plan.packages()) {
            if (!member.optional()) {
                continue;
            }
            Catalogue.ServicePackage pkg = member.servicePackage();
            if (subscribe.contains(pkg.externalId()) || containsId(subscribeIds, pkg.id())) {
                toSubscribe.add(pkg.id());
            }
            if (unsubscribe.contains(pkg.externalId()) || containsId(unsubscribeIds, pkg.id())) {
                toUnsubscribe.add(pkg.id());
            }
        }
        boolean changed = false;
        for (String packageId : toSubscribe) {
            boolean single = state.catalogue().packageById(Long.parseLong(packageId))
                    .map(p -> p.serviceType().equals("single")).orElse(false);
            if (single || !row.subscribedPackageIds.contains(packageId)) {
                row.subscribedPackageIds.add(packageId);
                subscriptionChanged(call, row);
                changed = true;
            }
        }
        for (String packageId : toUnsubscribe) {
            if (row.subscribedPackageIds.removeIf(packageId::equals)) {
                subscriptionChanged(call, row);
                changed = true;
            }
        }
        return changed;
    }

    private static boolean containsId(List<String> ids, String packageId) {
        for (String id : ids) {
            if (PhpValues.intval(id) == Long.parseLong(packageId)) {
                return true;
            }
        }
        return false;
    }

    private void subscriptionChanged(ApiCall call, Account row) {
        state.dropUnsentMessageReboots(row);
        state.queueEvent(row, "send_msg", RestApi.SUBSCRIPTION_CHANGED_MESSAGE, 1, 1, 2, 0, "",
                state.watchdogTimeout().multipliedBy(2));
        call.sessionStarted = true;
    }
}
