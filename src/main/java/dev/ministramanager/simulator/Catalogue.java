package dev.ministramanager.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tariff plans and service packages: read-only through the API, as on the real server. The seed is the catalogue of
 * the wire transcript; a JSON file in the same shape (see {@link #fromJson(String)}) can replace it.
 */
record Catalogue(List<ServicePackage> packages, List<TariffPlan> plans) {

    record ServicePackage(String id, String externalId, String name, String description, String type,
                          String allServices, String serviceType, String rentDuration, String price) {
    }

    record PlanPackage(ServicePackage servicePackage, boolean optional) {
    }

    /** {@code daysToExpires} is null when the plan has no such column (Ministra before 5.5): then it is not sent. */
    record TariffPlan(String id, String externalId, String name, String userDefault, String daysToExpires,
                      List<PlanPackage> packages) {

        boolean isDefault() {
            return "1".equals(userDefault);
        }

        Optional<PlanPackage> optionalPackage(String packageId) {
            return packages.stream().filter(p -> p.optional() && p.servicePackage().id().equals(packageId)).findFirst();
        }
    }

    /** Plans basic (id 1, default: base_tv + optional sport) and premium (id 2: base_tv + sport + optional movies). */
    static Catalogue seed() {
        ServicePackage baseTv = new ServicePackage("1", "base_tv", "Base TV", "Base channel package", "tv", "1",
                "periodic", "0", "0.00");
        ServicePackage sport = new ServicePackage("2", "sport", "Sport", "Sport channels", "tv", "1",
                "periodic", "0", "5.00");
        ServicePackage movies = new ServicePackage("3", "movies", "Movies", "Video club", "video", "1",
                "periodic", "0", "3.00");
        TariffPlan basic = new TariffPlan("1", "basic", "Basic", "1", null,
                List.of(new PlanPackage(baseTv, false), new PlanPackage(sport, true)));
        TariffPlan premium = new TariffPlan("2", "premium", "Premium", "0", null,
                List.of(new PlanPackage(baseTv, false), new PlanPackage(sport, false), new PlanPackage(movies, true)));
        return new Catalogue(List.of(baseTv, sport, movies), List.of(basic, premium));
    }

    static Catalogue fromFile(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalogue " + file, e);
        }
    }

    /**
     * {@code {"packages":[{"id":1,"external_id":"base_tv","name":"Base TV","description":"","type":"tv",
     * "all_services":1,"service_type":"periodic","rent_duration":0,"price":"0.00"}],
     * "plans":[{"id":1,"external_id":"basic","name":"Basic","user_default":1,"days_to_expires":30,
     * "packages":[{"id":1,"optional":0}]}]}}; every value may be a string or a number; a plan without
     * {@code days_to_expires} is listed without it, as by Ministra before 5.5.
     */
    static Catalogue fromJson(String json) {
        JsonObject root = new JsonObject(json);
        Map<String, ServicePackage> byId = new LinkedHashMap<>();
        for (Object item : root.getJsonArray("packages", new JsonArray())) {
            JsonObject p = (JsonObject) item;
            ServicePackage pkg = new ServicePackage(text(p, "id", null), text(p, "external_id", ""),
                    text(p, "name", ""), text(p, "description", ""), text(p, "type", "tv"),
                    text(p, "all_services", "0"), text(p, "service_type", "periodic"),
                    text(p, "rent_duration", "0"), text(p, "price", "0.00"));
            byId.put(pkg.id(), pkg);
        }
        List<TariffPlan> plans = new ArrayList<>();
        for (Object item : root.getJsonArray("plans", new JsonArray())) {
            JsonObject plan = (JsonObject) item;
            List<PlanPackage> members = new ArrayList<>();
            for (Object m : plan.getJsonArray("packages", new JsonArray())) {
                JsonObject member = (JsonObject) m;
                ServicePackage pkg = byId.get(text(member, "id", null));
                if (pkg == null) {
                    throw new IllegalArgumentException("plan " + plan.getValue("id") + " names an unknown package "
                            + member.getValue("id"));
                }
                members.add(new PlanPackage(pkg, "1".equals(text(member, "optional", "0"))
                        || "true".equals(text(member, "optional", "0"))));
            }
            String userDefault = text(plan, "user_default", "0");
            Object daysToExpires = plan.getValue("days_to_expires");
            plans.add(new TariffPlan(text(plan, "id", null), text(plan, "external_id", ""), text(plan, "name", ""),
                    "true".equals(userDefault) ? "1" : "false".equals(userDefault) ? "0" : userDefault,
                    daysToExpires == null ? null : String.valueOf(daysToExpires), List.copyOf(members)));
        }
        return new Catalogue(List.copyOf(byId.values()), List.copyOf(plans));
    }

    /** The shape {@link #fromJson} reads. */
    JsonObject toJson() {
        JsonArray packageList = new JsonArray();
        for (ServicePackage p : packages) {
            packageList.add(new JsonObject().put("id", p.id()).put("external_id", p.externalId())
                    .put("name", p.name()).put("description", p.description()).put("type", p.type())
                    .put("all_services", p.allServices()).put("service_type", p.serviceType())
                    .put("rent_duration", p.rentDuration()).put("price", p.price()));
        }
        JsonArray planList = new JsonArray();
        for (TariffPlan plan : plans) {
            JsonArray members = new JsonArray();
            plan.packages().forEach(m -> members.add(new JsonObject().put("id", m.servicePackage().id())
                    .put("optional", m.optional() ? "1" : "0")));
            JsonObject item = new JsonObject().put("id", plan.id()).put("external_id", plan.externalId())
                    .put("name", plan.name()).put("user_default", plan.userDefault()).put("packages", members);
            if (plan.daysToExpires() != null) {
                item.put("days_to_expires", plan.daysToExpires());
            }
            planList.add(item);
        }
        return new JsonObject().put("packages", packageList).put("plans", planList);
    }

    private static String text(JsonObject object, String key, String fallback) {
        Object value = object.getValue(key);
        if (value == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("catalogue entry without " + key + ": " + object.encode());
            }
            return fallback;
        }
        return String.valueOf(value);
    }

    Optional<TariffPlan> planById(long id) {
        return plans.stream().filter(p -> p.id().equals(String.valueOf(id))).findFirst();
    }

    /** Account writes address plans by external id; the first match wins, unknown means plan id 0. */
    long planIdByExternalId(String externalId) {
        return plans.stream().filter(p -> p.externalId().equals(externalId)).findFirst()
                .map(p -> Long.parseLong(p.id())).orElse(0L);
    }

    Optional<TariffPlan> defaultPlan() {
        return plans.stream().filter(TariffPlan::isDefault).findFirst();
    }

    /** The plan that applies to a row: its own, or the default plan when the id is 0 or dangling. */
    Optional<TariffPlan> effectivePlan(long planId) {
        return planById(planId).or(this::defaultPlan);
    }

    Optional<ServicePackage> packageById(long id) {
        return packages.stream().filter(p -> p.id().equals(String.valueOf(id))).findFirst();
    }
}
