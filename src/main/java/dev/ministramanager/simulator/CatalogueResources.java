package dev.ministramanager.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;

/** TARIFFS and SERVICES_PACKAGE: the read-only catalogue. */
final class CatalogueResources {

    private final MinistraState state;

    CatalogueResources(MinistraState state) {
        this.state = state;
    }

    Object tariffs(ApiCall call) {
        return oneOrAll(call, state.catalogue()::planById, state.catalogue().plans(), CatalogueResources::planInfo);
    }

    Object servicesPackage(ApiCall call) {
        return oneOrAll(call, state.catalogue()::packageById, state.catalogue().packages(),
                CatalogueResources::packageWithServices);
    }

    /**
     * The first identifier cast to an integer picks one object (null if missing); 0, which is also what a
     * non-numeric identifier becomes, lists them all.
     */
    private static <T> Object oneOrAll(ApiCall call, LongFunction<Optional<T>> byId, List<T> all,
                                       Function<T, Map<String, Object>> format) {
        long id = call.identifiers == null ? 0 : PhpValues.intval(call.firstId());
        if (id != 0) {
            return byId.apply(id).map(format).orElse(null);
        }
        List<Object> list = new ArrayList<>(all.size());
        for (T item : all) {
            list.add(format.apply(item));
        }
        return list;
    }

    private static Map<String, Object> planInfo(Catalogue.TariffPlan plan) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", plan.id());
        info.put("external_id", plan.externalId());
        info.put("name", plan.name());
        info.put("user_default", plan.userDefault());
        if (plan.daysToExpires() != null) {
            info.put("days_to_expires", plan.daysToExpires());
        }
        List<Object> packages = new ArrayList<>();
        for (Catalogue.PlanPackage member : plan.packages()) {
            Map<String, Object> pkg = packageInfo(member.servicePackage());
            pkg.put("optional", member.optional() ? "1" : "0");
            packages.add(pkg);
        }
        info.put("packages", packages);
        return info;
    }

    private static Map<String, Object> packageInfo(Catalogue.ServicePackage pkg) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", pkg.id());
        info.put("external_id", pkg.externalId());
        info.put("name", pkg.name());
        info.put("description", pkg.description());
        info.put("type", pkg.type());
        info.put("all_services", pkg.allServices());
        info.put("service_type", pkg.serviceType());
        info.put("rent_duration", pkg.rentDuration());
        info.put("price", pkg.price());
        return info;
    }

    /** The simulator has no channels, films or modules: a package either covers "all" or lists nothing. */
    private static Map<String, Object> packageWithServices(Catalogue.ServicePackage pkg) {
        Map<String, Object> info = packageInfo(pkg);
        info.put("services", "1".equals(pkg.allServices()) ? "all" : List.of());
        return info;
    }
}
