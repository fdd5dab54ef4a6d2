package dev.ministramanager.stb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.ministramanager.stb.StbCommands.StbCommandPlan;
import org.apache.camel.Exchange;

/**
 * Waiting for a rebooted box. Ministra only says whether a box polled within the watchdog timeout, so "rebooted and
 * back" is seen as offline then online again; a box that never looked offline during the wait is reported as such,
 * not as rebooted.
 */
public class StbRebootWaits {

    private static final String STATE = "stbRebootWait";

    private final StbCommands commands;
    private final Clock clock;

    public StbRebootWaits(StbCommands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    private static final class Wait {
        final Map<String, Object> answer;
        final Instant started;
        final Instant deadline;
        boolean seenOffline;
        Boolean lastOnline;
        boolean backOnline;

        Wait(Map<String, Object> answer, Instant started, Instant deadline) {
            this.answer = answer;
            this.started = started;
            this.deadline = deadline;
        }
    }

    public boolean requested(Exchange exchange) {
        StbCommandPlan plan = exchange.getVariable(StbCommands.PLAN, StbCommandPlan.class);
        return plan.command() == StbCommand.REBOOT && plan.options().waitSeconds() != null
                && plan.options().waitSeconds() > 0;
    }

    @SuppressWarnings("unchecked")
    public void begin(Exchange exchange) {
        StbCommandPlan plan = exchange.getVariable(StbCommands.PLAN, StbCommandPlan.class);
        Instant now = clock.instant();
        Wait wait = new Wait(new LinkedHashMap<>(exchange.getMessage().getBody(Map.class)), now,
                now.plus(Duration.ofSeconds(plan.options().waitSeconds())));
        wait.seenOffline = Boolean.FALSE.equals(wait.answer.get("boxOnline"));
        exchange.setVariable(STATE, wait);
    }

    public boolean keepWaiting(Exchange exchange) {
        Wait wait = exchange.getVariable(STATE, Wait.class);
        return !wait.backOnline && clock.instant().isBefore(wait.deadline);
    }

    public void observe(Exchange exchange) {
        Wait wait = exchange.getVariable(STATE, Wait.class);
        Boolean online = commands.online(exchange);
        wait.lastOnline = online;
        if (Boolean.FALSE.equals(online)) {
            wait.seenOffline = true;
        } else if (Boolean.TRUE.equals(online) && wait.seenOffline) {
            wait.backOnline = true;
        }
    }

    public void unobserved(Exchange exchange) {
        exchange.getVariable(STATE, Wait.class).lastOnline = null;
    }

    public Map<String, Object> answer(Exchange exchange) {
        Wait wait = exchange.getVariable(STATE, Wait.class);
        String outcome = wait.backOnline ? "back_online"
                : Boolean.FALSE.equals(wait.lastOnline) || wait.seenOffline ? "still_offline"
                : wait.lastOnline == null ? "unknown" : "online_throughout";
        Map<String, Object> answer = new LinkedHashMap<>(wait.answer);
        answer.put("wait", Map.of("outcome", outcome,
                "waitedSeconds", Duration.between(wait.started, clock.instant()).toSeconds()));
        return answer;
    }
}
