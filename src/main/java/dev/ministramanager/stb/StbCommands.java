package dev.ministramanager.stb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.api.ApiResponses;
import dev.ministramanager.api.ApiResponses.RetryLaterProblem;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Set-top box commands: each is addressed to the one box bound to the account, by its MAC (Ministra's send_event
 * takes a MAC or an account number, never a login, and with no identifier reaches every box). An account without a
 * box is refused before anything is sent; reboots are rate-limited per box across all nodes.
 */
public class StbCommands {

    private static final String MAC_OF_LOGIN = SqlStatements.load("stb-mac-of-login");
    private static final String DELETE_GUARD = SqlStatements.load("stb-reboot-guard-delete");
    private static final String TAKE_GUARD = SqlStatements.load("stb-reboot-guard-take");
    private static final String INSERT_GUARD = SqlStatements.load("stb-reboot-guard-insert");
    private static final String LAST_SENT = SqlStatements.load("stb-reboot-guard-last-sent");

    /** Exchange variable holding the {@link StbCommandPlan} of the command in progress. */
    public static final String PLAN = "stbPlan";
    private static final String BULK_LOGIN = "stbBulkLogin";

    private final JdbcTemplate jdbc;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration rebootMinInterval;
    private final Duration watchdogTimeout;
    private final int bulkMax;

    public StbCommands(DataSource dataSource, AuditTrail audit, Clock clock, Duration rebootMinInterval,
                       Duration watchdogTimeout, int bulkMax) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.audit = audit;
        this.clock = clock;
        this.rebootMinInterval = rebootMinInterval;
        this.watchdogTimeout = watchdogTimeout;
        this.bulkMax = bulkMax;
    }

    /** Everything the sending route needs for one command to one account's box. */
    public record StbCommandPlan(long companyId, String login, String mac, StbCommand command,
                                 StbCommandOptions options, String actor) {
    }

    /** {@code POST /accounts/{login}/stb/{command}}: checks the request and plans the command. */
    public void plan(Exchange exchange) {
        StbCommandOptions options = exchange.getMessage().getBody(StbCommandOptions.class);
        StbCommand command = StbCommand.of(exchange.getMessage().getHeader("command", String.class));
        options.validateFor(command);
        exchange.setVariable(PLAN, planFor(ApiGate.requireCompany(exchange),
                exchange.getMessage().getHeader("login", String.class), command, options,
                exchange.getVariable(ApiGate.ACTOR, String.class)));
    }

    /** {@code POST /stb/commands}: the per-login items of a bulk command, at most the configured number. */
    public List<String> bulkLogins(Exchange exchange) {
        StbBulkCommand bulk = exchange.getMessage().getBody(StbBulkCommand.class);
        if (bulk.logins().size() > bulkMax) {
            throw ProblemException.invalidField("logins", "At most " + bulkMax + " logins per bulk command.");
        }
        StbCommand command = StbCommand.of(bulk.command());
        StbCommandOptions options = bulk.options();
        options.validateFor(command);
        exchange.setVariable("stbBulkCommand", command);
        exchange.setVariable("stbBulkOptions", options);
        exchange.setVariable("stbBulkCompany", ApiGate.requireCompany(exchange));
        return bulk.logins().stream().distinct().toList();
    }

    /** One item of a bulk command: the body is the login. */
    public void planBulkItem(Exchange exchange) {
        String login = exchange.getMessage().getBody(String.class);
        exchange.setVariable(BULK_LOGIN, login);
        exchange.setVariable(PLAN, planFor(exchange.getVariable("stbBulkCompany", Long.class), login, exchange.getVariable("stbBulkCommand", StbCommand.class),
                exchange.getVariable("stbBulkOptions", StbCommandOptions.class),
                exchange.getVariable(ApiGate.ACTOR, String.class)));
    }

    private StbCommandPlan planFor(long companyId, String login, StbCommand command, StbCommandOptions options,
                                   String actor) {
        // the account's own MAC, else the box Ministra had bound at the last pull or refresh
        List<String> macs = jdbc.query(MAC_OF_LOGIN,
                (rs, i) -> rs.getString(1), companyId, login == null ? "" : login.toLowerCase());
        if (macs.isEmpty()) {
            throw ProblemException.notFound("Account '" + login + "' not found.");
        }
        String mac = macs.get(0);
        if (mac == null || mac.isBlank()) {
            throw new ProblemException(409, "No box bound", "Account '" + login + "' has no set-top box bound"
                    + " (stb_mac), so there is nothing to send '" + command.id() + "' to. Nothing was sent.",
                    Map.of("field", "stb_mac"));
        }
        if (command == StbCommand.REBOOT) {
            claimReboot(companyId, mac);
        }
        return new StbCommandPlan(companyId, login, mac, command, options, actor);
    }

    /** Reads the box's account row first: whether it is online, and that Ministra knows the MAC at all. */
    public MinistraRequest statusRequest(Exchange exchange) {
        StbCommandPlan plan = exchange.getVariable(PLAN, StbCommandPlan.class);
        return MinistraRequest.get(plan.companyId(), "accounts", plan.mac());
    }

    /** Whether the box was online, from Ministra's answer to {@link #statusRequest}. */
    public Boolean online(Exchange exchange) {
        JsonNode rows = exchange.getMessage().getBody(MinistraResult.class).results();
        StbCommandPlan plan = exchange.getVariable(PLAN, StbCommandPlan.class);
        if (rows != null && rows.isArray()) {
            for (JsonNode row : rows) {
                if (plan.mac().equalsIgnoreCase(row.path("stb_mac").asText())) {
                    return "1".equals(row.path("online").asText());
                }
            }
        }
        return null;
    }

    public MinistraRequest eventRequest(Exchange exchange) {
        StbCommandPlan plan = exchange.getVariable(PLAN, StbCommandPlan.class);
        StbCommandOptions options = plan.options();
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (plan.command().isMessage() && options.autoHideSeconds() != null) {
            // stb_msg honours auto_hide_timeout; send_event ignores it
            form.put("msg", List.of(options.text()));
            form.put("auto_hide_timeout", List.of(String.valueOf(options.autoHideSeconds())));
            putTtl(form, options);
            return MinistraRequest.write(plan.companyId(), "POST", "stb_msg", List.of(plan.mac()), form);
        }
        form.put("event", List.of(plan.command().ministraEvent()));
        if (plan.command() == StbCommand.PLAY_CHANNEL) {
            form.put("channel", List.of(String.valueOf(options.channel())));
        }
        if (plan.command().isMessage()) {
            form.put("msg", List.of(options.text()));
            if (Boolean.TRUE.equals(options.rebootAfterOk())) {
                form.put("need_reboot", List.of("1"));
            }
        }
        putTtl(form, options);
        return MinistraRequest.write(plan.companyId(), "POST", "send_event", List.of(plan.mac()), form);
    }

    /** Ministra queued the event (or did not: {@code false} means it did not know the event). */
    public Map<String, Object> sent(Exchange exchange) {
        StbCommandPlan plan = exchange.getVariable(PLAN, StbCommandPlan.class);
        MinistraResult result = exchange.getMessage().getBody(MinistraResult.class);
        if (result.results() == null || !result.results().asBoolean(false)) {
            throw new MinistraFailure(MinistraFailure.Kind.REJECTED, "Ministra did not queue the event ("
                    + result.results() + ")", "results: " + result.results(), null);
        }
        Boolean online = exchange.getVariable("stbBoxOnline", Boolean.class);
        Instant sentAt = clock.instant();
        Duration ttl = ttl(plan);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("login", plan.login());
        answer.put("mac", plan.mac());
        answer.put("command", plan.command().id());
        answer.put("outcome", "queued");
        answer.put("sentAt", sentAt.toString());
        answer.put("expiresAt", sentAt.plus(ttl).toString());
        answer.put("boxOnline", online);
        if (!Boolean.TRUE.equals(online)) {
            answer.put("warning", "The box " + (online == null ? "may be" : "is") + " offline: Ministra drops this"
                    + " event at " + sentAt.plus(ttl) + " unless the box polls before then.");
        }
        audit.record(plan.actor(), plan.companyId(), AuditTrail.ACCOUNT, AuditTrail.accountSubjectId(plan.login()),
                "stb-" + plan.command().id(), "queued",
                Map.of("mac", plan.mac(), "boxOnline", String.valueOf(online), "ttlSeconds", ttl.toSeconds()));
        return answer;
    }

    /** The command failed: the reboot guard is released, the failure audited, and the caller told why. */
    public void failed(Exchange exchange) {
        StbCommandPlan plan = exchange.getVariable(PLAN, StbCommandPlan.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (plan != null) {
            if (plan.command() == StbCommand.REBOOT) {
                jdbc.update(DELETE_GUARD, plan.companyId(),
                        plan.mac());
            }
            audit.record(plan.actor(), plan.companyId(), AuditTrail.ACCOUNT,
                    AuditTrail.accountSubjectId(plan.login()), "stb-" + plan.command().id(),
                    "failed", Map.of("mac", plan.mac(), "reason", String.valueOf(cause.getMessage())));
        }
        exchange.setException(cause);
    }

    /** A bulk item's result: the command's answer, or the problem that stopped it. */
    public Map<String, Object> bulkItemFailed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("login", exchange.getVariable(BULK_LOGIN, String.class));
        item.put("outcome", "failed");
        ProblemException problem = ApiResponses.problemOf(cause);
        item.put("status", problem == null ? 500 : problem.status());
        item.put("detail", problem == null ? "Unexpected failure; it has been logged." : problem.getMessage());
        return item;
    }

    public Map<String, Object> bulkAnswer(List<Map<String, Object>> items) {
        List<Map<String, Object>> results = new ArrayList<>(items);
        long queued = results.stream().filter(item -> "queued".equals(item.get("outcome"))).count();
        return Map.of("queued", queued, "failed", results.size() - queued, "results", results);
    }

    private Duration ttl(StbCommandPlan plan) {
        if (plan.options().ttlSeconds() != null) {
            return Duration.ofSeconds(plan.options().ttlSeconds());
        }
        return plan.command().isMessage() ? Duration.ofDays(7) : watchdogTimeout.multipliedBy(2);
    }

    private static void putTtl(Map<String, List<String>> form, StbCommandOptions options) {
        if (options.ttlSeconds() != null) {
            form.put("ttl", List.of(String.valueOf(options.ttlSeconds())));
        }
    }

    /** At most one reboot per box per interval, across nodes: the guard row is claimed atomically. */
    private void claimReboot(long companyId, String mac) {
        Instant now = clock.instant();
        java.sql.Timestamp nowStamp = java.sql.Timestamp.from(now);
        int claimed = jdbc.update(TAKE_GUARD, nowStamp, companyId, mac, java.sql.Timestamp.from(now.minus(
                rebootMinInterval)));
        if (claimed == 1) {
            return;
        }
        try {
            jdbc.update(INSERT_GUARD, companyId, mac, nowStamp);
        } catch (org.springframework.dao.DuplicateKeyException recentlyRebooted) {
            Instant last = jdbc.queryForObject(LAST_SENT, java.sql.Timestamp.class, companyId, mac).toInstant();
            long retryAfter = Math.max(1, Duration.between(now, last.plus(rebootMinInterval)).toSeconds() + 1);
            throw new TooSoon(mac, retryAfter);
        }
    }

    /** 429: the box was rebooted less than the minimum interval ago. */
    static final class TooSoon extends ProblemException implements RetryLaterProblem {
        private final long retryAfterSeconds;

        TooSoon(String mac, long retryAfterSeconds) {
            super(429, "Too many reboots", "Box " + mac + " was sent a reboot less than the minimum interval"
                    + " (mm.stb.reboot-min-interval-seconds) ago; try again in " + retryAfterSeconds + " s.",
                    Map.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
