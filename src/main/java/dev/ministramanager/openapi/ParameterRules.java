package dev.ministramanager.openapi;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ministramanager.stb.StbCommand;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;

/**
 * The type and constraints of every path, query and header parameter the API takes, by name (or, where one
 * operation differs, by {@code operationId:name}): what the REST DSL's {@code param} cannot say (pattern, length,
 * minimum, maximum). The values are the ones the request checks enforce (AccountRules, PageRequest, TariffPlans,
 * Accounts, IdempotencyKeys, EventFeed, WebhookLog); a parameter missing here fails {@code OpenApiContractTest},
 * so a new one is described when it is added.
 */
final class ParameterRules {

    /** Login rule of AccountRules, as Ministra accepts logins. */
    static final String LOGIN_PATTERN = "^[A-Za-z0-9._@-]{1,64}$";
    static final String MAC_PATTERN = "^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2}){5}$";

    private static final Map<String, Schema<?>> RULES = Map.ofEntries(
            rule("login", text(1, 64).pattern(LOGIN_PATTERN).example("jdoe").description("The account's login:"
                    + " 1 to 64 of A-Z a-z 0-9 . _ @ -, unique per company case-insensitively")),
            rule("username", text(2, 100).pattern("^[a-z0-9][a-z0-9._@-]{1,99}$").example("billing")
                    .description("The API user's name")),
            rule("customerRef", text(1, 100).example("C-100").description("The billing customer id")),
            rule("command", commands().description("The command")),
            rule("companyId", identifier().description("The company's id")),
            rule("id", identifier().description("The record's id")),
            rule("runId", identifier().description("The reconciliation run's id")),
            rule("findingId", identifier().description("The finding's id")),
            rule("company", identifier()),
            rule("webhook", identifier()),
            rule("limit", whole(1, 500)),
            rule("status-accounts:limit", whole(1, 1000)),
            rule("reconciliation-run-get:limit", whole(1, 1000)),
            rule("tariffs-sync-runs:limit", whole(1, 500)),
            rule("events-list:limit", whole(1, 1000)),
            rule("offset", whole(0, Integer.MAX_VALUE)),
            rule("after", new IntegerSchema().format("int64").minimum(BigDecimal.ZERO)),
            rule("events-stream:after", text(1, 19).pattern("^(now|[0-9]{1,19})$").example("now")),
            rule("Last-Event-ID", text(1, 19).pattern("^[0-9]{1,19}$").example("1042")),
            rule("cursor", text(1, 200)),
            rule("wait", whole(0, 60)),
            rule("olderThanMinutes", whole(0, Integer.MAX_VALUE)),
            rule("online", new Schema<Boolean>().type("boolean")),
            rule("q", text(1, 200)),
            rule("types", text(1, 500).example("account.*,company.updated")),
            rule("tariff", text(1, 100)),
            rule("cause", text(1, 50)),
            rule("sync", enumOf("draft", "synced", "pending", "retrying", "dead", "discarded")),
            rule("accounts-list:status", enumOf("active", "inactive")),
            rule("tariffs-list:status", enumOf("active", "archived")),
            rule("dead-letters-list:status", enumOf("open", "replayed", "discarded")),
            rule("kind", enumOf("missing_in_ministra", "only_in_ministra", "drift")),
            rule("Idempotency-Key", text(1, 200).example("order-4711")),
            rule("If-Match", text(1, 50).example("\"3\"")));

    private ParameterRules() {
    }

    /**
     * A fresh copy of the schema of a parameter of an operation, if the parameter is known; its description is
     * the parameter's where the REST DSL gives none (path variables).
     */
    static Optional<Schema<?>> schemaOf(String operationId, String name) {
        Schema<?> rule = RULES.getOrDefault(operationId + ":" + name, RULES.get(name));
        return Optional.ofNullable(rule).map(ParameterRules::copy);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Schema<?> copy(Schema<?> rule) {
        Schema copy = new Schema<>().type(rule.getType()).format(rule.getFormat()).pattern(rule.getPattern())
                .minLength(rule.getMinLength()).maxLength(rule.getMaxLength()).minimum(rule.getMinimum())
                .maximum(rule.getMaximum());
        if (rule.getEnum() != null) {
            copy.setEnum(List.copyOf(rule.getEnum()));
        }
        copy.setExample(rule.getExample());
        copy.setDescription(rule.getDescription());
        return copy;
    }

    private static Map.Entry<String, Schema<?>> rule(String name, Schema<?> schema) {
        return Map.entry(name, schema);
    }

    private static Schema<?> text(int min, int max) {
        return new StringSchema().minLength(min).maxLength(max);
    }

    private static Schema<?> identifier() {
        return new IntegerSchema().format("int64").minimum(BigDecimal.ONE).example(1);
    }

    private static Schema<?> whole(int min, int max) {
        return new IntegerSchema().minimum(BigDecimal.valueOf(min)).maximum(BigDecimal.valueOf(max));
    }

    private static Schema<?> enumOf(String... values) {
        StringSchema schema = new StringSchema();
        schema.setEnum(List.of(values));
        return schema;
    }

    private static Schema<?> commands() {
        return enumOf(Arrays.stream(StbCommand.values()).map(StbCommand::id).toArray(String[]::new));
    }
}
