package dev.ministramanager.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@code users} row as the ACCOUNTS resource shows it; ACCOUNT_SUBSCRIPTION and the state dump read it too. */
final class AccountInfo {

    private AccountInfo() {
    }

    static Map<String, Object> of(MinistraState state, Account row) {
        Map<String, Object> info = new LinkedHashMap<>(32);
        info.put("login", row.login);
        info.put("full_name", row.fullName);
        info.put("phone", row.phone);
        info.put("account_number", row.accountNumber);
        info.put("tariff_plan", state.catalogue().effectivePlan(row.tariffPlanId)
                .map(Catalogue.TariffPlan::externalId).orElse(null));
        info.put("stb_sn", row.serialNumber);
        info.put("stb_mac", row.mac);
        info.put("stb_type", row.stbType);
        info.put("status", row.status == 0 ? 1 : 0);
        info.put("online", state.isOnline(row) ? "1" : "0");
        info.put("ip", row.ip);
        info.put("version", row.version);
        info.put("comment", row.comment);
        if (state.internalBilling()) {
            info.put("end_date", row.expireBillingDate);
        }
        info.put("account_balance", row.accountBalance);
        info.put("last_active", row.lastActive);
        List<Catalogue.ServicePackage> subscribed = subscribedPackages(state, row);
        List<String> externalIds = new ArrayList<>(subscribed.size());
        List<String> ids = new ArrayList<>(subscribed.size());
        for (Catalogue.ServicePackage pkg : subscribed) {
            externalIds.add(pkg.externalId());
            ids.add(pkg.id());
        }
        info.put("subscribed", externalIds);
        info.put("subscribed_id", ids);
        return info;
    }

    /** Optional packages of the row's current plan that it is subscribed to, by external id. */
    static List<Catalogue.ServicePackage> subscribedPackages(MinistraState state, Account row) {
        if (row.subscribedPackageIds.isEmpty()) {
            return List.of();
        }
        Set<String> subscribed = MinistraState.subscribedSet(row);
        List<Catalogue.ServicePackage> result = new ArrayList<>();
        state.catalogue().effectivePlan(row.tariffPlanId).ifPresent(plan -> {
            for (Catalogue.PlanPackage member : plan.packages()) {
                if (member.optional() && subscribed.contains(member.servicePackage().id())) {
                    result.add(member.servicePackage());
                }
            }
        });
        result.sort(Comparator.comparing(Catalogue.ServicePackage::externalId));
        return result;
    }
}
