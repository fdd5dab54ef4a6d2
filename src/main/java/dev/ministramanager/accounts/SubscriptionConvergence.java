package dev.ministramanager.accounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraResult;

/**
 * The second part of a push, after the account itself: make Ministra's optional-package subscriptions
 * ({@code account_subscription}) match ours. Every single subscribe or unsubscribe makes Ministra reboot the box,
 * so it reads first and writes only the difference, and nothing at all when they match:
 * <ol>
 * <li>{@code GET account_subscription/<account number>}: what Ministra has;</li>
 * <li>{@code PUT} with {@code subscribed[]} / {@code unsubscribed[]} for the difference, or {@code DELETE} when none
 * is wanted any more (one call either way).</li>
 * </ol>
 * account_subscription takes an account number or a MAC (any identifier of 12 characters or more is read as a
 * MAC), and without an identifier it applies to every row: the account number is used when it is shorter than 12
 * characters, otherwise the box's MAC; should several Ministra rows share the number (a household), the MAC too, so
 * the write reaches this account's row only. An account with neither a usable number nor a MAC is refused by the
 * guardrail (a dead letter naming why, so an operator binds a box and replays it), never sent unaddressed.
 * Ministra's {@code false} after a write means it changed nothing although something differed (the package is not
 * optional in the plan Ministra has): a rejection, like any refusal, so the same retry and dead-letter rules apply.
 * Accounts whose packages are not managed here ({@code packages} null) skip this part: no extra call.
 */
final class SubscriptionConvergence {

    private static final int MAC_MIN_LENGTH = 12;

    private enum Step { READ, WRITE, DONE }

    private final DesiredAccount desired;
    private final List<String> wanted;
    private Step step;
    private MinistraRequest request;
    private String identifier;
    private boolean byMac;
    private final List<String> written = new ArrayList<>();

    private SubscriptionConvergence(DesiredAccount desired) {
        this.desired = desired;
        this.wanted = List.copyOf(new TreeSet<>(desired.packages()));
    }

    /**
     * @param created the account step has just created the row in Ministra (it has no subscriptions yet)
     * @return the conversation, or null when there is nothing to converge
     */
    static SubscriptionConvergence start(DesiredAccount desired, boolean created) {
        if (desired.deleted() || desired.packages() == null || created && desired.packages().isEmpty()) {
            return null;
        }
        SubscriptionConvergence convergence = new SubscriptionConvergence(desired);
        if (readableAsNumber(desired.accountNumber())) {
            convergence.identifier = desired.accountNumber();
        } else if (desired.stbMac() != null) {
            convergence.identifier = desired.stbMac();
            convergence.byMac = true;
        } else {
            throw MinistraFailure.guardrail("Account " + desired.login() + " has neither an account number"
                    + " account_subscription can take (1 to " + (MAC_MIN_LENGTH - 1) + " characters) nor a MAC: its"
                    + " packages cannot be pushed; bind a box to it");
        }
        convergence.read();
        return convergence;
    }

    /** account_subscription reads an identifier of 12 characters or more as a MAC, whatever it holds. */
    private static boolean readableAsNumber(String accountNumber) {
        return accountNumber != null && !accountNumber.isEmpty() && accountNumber.length() < MAC_MIN_LENGTH;
    }

    boolean isPending() {
        return step != Step.DONE;
    }

    MinistraRequest request() {
        return request;
    }

    /** What was written, for the push's audit entry: "packages" when a subscription changed. */
    List<String> written() {
        return written;
    }

    void answered(MinistraResult result) {
        switch (step) {
            case READ -> compare(result.results());
            case WRITE -> {
                if (result.isFalse()) {
                    throw new MinistraFailure(MinistraFailure.Kind.REJECTED, "Ministra changed no subscription of "
                            + identifier + " for " + request + " although they differ (a package that is not"
                            + " optional in the plan Ministra has?)", "results: false", null);
                }
                written.add("packages");
                step = Step.DONE;
            }
            default -> throw new IllegalStateException("No subscription request is outstanding");
        }
    }

    private void compare(JsonNode rows) {
        if (rows == null || !rows.isArray()) {
            throw new MinistraFailure(MinistraFailure.Kind.GARBLED_ANSWER, "account_subscription/" + identifier
                    + " answered " + (rows == null ? "nothing" : rows.getNodeType()) + " instead of a list of rows",
                    null, null);
        }
        if (rows.size() != 1) {
            if (!byMac && desired.stbMac() != null) {
                identifier = desired.stbMac();
                byMac = true;
                read();
                return;
            }
            throw MinistraFailure.guardrail("account_subscription/" + identifier + " matches " + rows.size()
                    + " Ministra rows: a write would change the subscriptions of all of them; bind a box (MAC) to"
                    + " account " + desired.login() + " to push its packages");
        }
        TreeSet<String> current = new TreeSet<>();
        rows.get(0).path("subscribed").forEach(pkg -> current.add(pkg.asText()));
        List<String> subscribe = new ArrayList<>(wanted);
        subscribe.removeAll(current);
        List<String> unsubscribe = new ArrayList<>(current);
        unsubscribe.removeAll(wanted);
        if (subscribe.isEmpty() && unsubscribe.isEmpty()) {
            step = Step.DONE;
            request = null;
            return;
        }
        step = Step.WRITE;
        if (wanted.isEmpty()) {
            request = MinistraRequest.write(desired.companyId(), "DELETE", "account_subscription",
                    List.of(identifier), Map.of());
            return;
        }
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (!subscribe.isEmpty()) {
            form.put("subscribed[]", subscribe);
        }
        if (!unsubscribe.isEmpty()) {
            form.put("unsubscribed[]", unsubscribe);
        }
        request = MinistraRequest.write(desired.companyId(), "PUT", "account_subscription", List.of(identifier), form);
    }

    private void read() {
        step = Step.READ;
        request = MinistraRequest.get(desired.companyId(), "account_subscription", identifier);
    }

    @Override
    public String toString() {
        return "SubscriptionConvergence[" + desired + ", step=" + step + "]";
    }
}
