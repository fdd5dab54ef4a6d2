package dev.ministramanager.accounts;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraFailure;
import dev.ministramanager.ministra.MinistraRequest;
import dev.ministramanager.ministra.MinistraResult;
import dev.ministramanager.security.SecretCipher;

/**
 * One push of one account: the short conversation with Ministra that makes it match the desired state. What
 * Ministra has decides create or update, not a local flag:
 * <ul>
 * <li>an account never confirmed is created ({@code POST accounts}); "Login already in use" means Ministra has it
 * already, so the push reads it and converges by update;</li>
 * <li>a confirmed account is read ({@code GET users/<login>}) and only the fields that differ are written
 * ({@code PUT users/<login>}): nothing when Ministra already matches, and never {@code stb_mac} unchanged (that
 * would unbind the box); "Account not found" means it was removed there, so it is created again;</li>
 * <li>a deleted account is removed ({@code DELETE users/<login>}); "Account not found" is success.</li>
 * </ul>
 * Accounts are always addressed by login, never by account number (a shared number would fan the write out to every
 * box that has it). The password is sent on create and when it changed, never otherwise. Then the optional packages
 * converge ({@link SubscriptionConvergence}).
 */
final class PushConversation {

    /** The account's own calls (at most 5) and its subscriptions' (at most 3, see SubscriptionConvergence). */
    private static final int MAX_CALLS = 8;
    private static final DateTimeFormatter MINISTRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final String NO_EXPIRY = "0000-00-00 00:00:00";

    private enum Step { CREATE, READ, UPDATE, DELETE, SUBSCRIPTIONS, DONE }

    private final DesiredAccount desired;
    private final SecretCipher cipher;
    private final boolean sendExpiry;
    private final ZoneId ministraZone;
    private Step step;
    private String operation;
    private MinistraRequest request;
    private int calls;
    private final List<String> written = new ArrayList<>();
    private SubscriptionConvergence subscriptions;

    private PushConversation(DesiredAccount desired, SecretCipher cipher, boolean sendExpiry, ZoneId ministraZone) {
        this.desired = desired;
        this.cipher = cipher;
        this.sendExpiry = sendExpiry;
        this.ministraZone = ministraZone;
    }

    static PushConversation start(DesiredAccount desired, SecretCipher cipher, boolean sendExpiry,
                                  ZoneId ministraZone) {
        PushConversation conversation = new PushConversation(desired, cipher, sendExpiry, ministraZone);
        if (desired.deleted()) {
            conversation.operation = "delete";
            conversation.next(Step.DELETE);
        } else if (desired.pushedVersion() == null) {
            conversation.operation = "create";
            conversation.next(Step.CREATE);
        } else {
            conversation.operation = "update";
            conversation.next(Step.READ);
        }
        return conversation;
    }

    /** True while there is a request to send. */
    public boolean isPending() {
        return step != Step.DONE;
    }

    MinistraRequest request() {
        return request;
    }

    DesiredAccount desired() {
        return desired;
    }

    String operation() {
        return operation;
    }

    List<String> written() {
        return written;
    }

    void answered(MinistraResult result) {
        switch (step) {
            case CREATE, UPDATE -> {
                if (result.isFalse()) {
                    throw new MinistraFailure(MinistraFailure.Kind.REJECTED, "Ministra answered false to " + request,
                            "results: false", null);
                }
                written.addAll(request.form().keySet());
                next(Step.DONE);
            }
            case READ -> {
                JsonNode found = result.results();
                if (found == null || !found.isObject()) {
                    next(Step.CREATE);
                    return;
                }
                Map<String, List<String>> differences = differences(found);
                if (differences.isEmpty()) {
                    next(Step.DONE);
                } else {
                    request = MinistraRequest.write(desired.companyId(), "PUT", "users", List.of(desired.login()),
                            differences);
                    step = Step.UPDATE;
                    count();
                }
            }
            case DELETE -> {
                written.add("delete");
                next(Step.DONE);
            }
            case SUBSCRIPTIONS -> {
                subscriptions.answered(result);
                if (subscriptions.isPending()) {
                    request = subscriptions.request();
                    count();
                } else {
                    written.addAll(subscriptions.written());
                    step = Step.DONE;
                    request = null;
                }
            }
            default -> throw new IllegalStateException("No request is outstanding");
        }
    }

    /** Ministra's refusals that tell what it has; any other refusal ends the push as a permanent failure. */
    void rejected(MinistraFailure failure) {
        String error = failure.ministraError() == null ? "" : failure.ministraError();
        if (step == Step.CREATE && error.equals("Login already in use")) {
            operation = "update";
            next(Step.READ);
        } else if ((step == Step.READ || step == Step.UPDATE) && error.equals("Account not found")) {
            operation = "create";
            next(Step.CREATE);
        } else if (step == Step.DELETE && error.equals("Account not found")) {
            next(Step.DONE);
        } else {
            throw failure;
        }
    }

    /** The last request for a dead letter: method, resource, identifiers and form, the password masked. */
    Map<String, Object> maskedRequest() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("operation", operation);
        if (request != null) {
            payload.put("method", request.method());
            payload.put("resource", request.resource());
            payload.put("identifiers", request.identifiers());
            Map<String, Object> form = new LinkedHashMap<>();
            request.form().forEach((key, values) -> form.put(key, key.equals("password") ? AuditTrail.MASK
                    : values.size() == 1 ? values.get(0) : values));
            payload.put("form", form);
        }
        return payload;
    }

    private void next(Step nextStep) {
        if (nextStep == Step.DONE && subscriptions == null) {
            // the account matches: its optional packages next (nothing when they are not managed here)
            subscriptions = SubscriptionConvergence.start(desired, step == Step.CREATE);
            if (subscriptions != null) {
                step = Step.SUBSCRIPTIONS;
                request = subscriptions.request();
                count();
                return;
            }
        }
        step = nextStep;
        request = switch (nextStep) {
            case CREATE -> MinistraRequest.write(desired.companyId(), "POST", "accounts", List.of(), createForm());
            case READ -> MinistraRequest.get(desired.companyId(), "users", desired.login());
            case DELETE -> MinistraRequest.write(desired.companyId(), "DELETE", "users", List.of(desired.login()),
                    Map.of());
            default -> null;
        };
        if (request != null) {
            count();
        }
    }

    private void count() {
        if (++calls > MAX_CALLS) {
            throw MinistraFailure.guardrail("Account " + desired.login() + " did not converge in " + MAX_CALLS
                    + " calls; Ministra keeps answering inconsistently");
        }
    }

    private Map<String, List<String>> createForm() {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("login", List.of(desired.login()));
        if (desired.passwordEnc() != null) {
            form.put("password", List.of(cipher.decrypt(desired.passwordEnc())));
        }
        putIfSet(form, "full_name", desired.fullName());
        putIfSet(form, "phone", desired.phone());
        form.put("account_number", List.of(desired.accountNumber()));
        putIfSet(form, "tariff_plan", desired.tariff());
        form.put("status", List.of(statusValue()));
        putIfSet(form, "stb_mac", desired.stbMac());
        putIfSet(form, "comment", desired.comment());
        if (sendExpiry && desired.expiresAt() != null) {
            form.put("end_date", List.of(endDate()));
        }
        return form;
    }

    /** Only what differs; an unset tariff is left to Ministra (an empty tariff_plan on PUT is an SQL error there). */
    private Map<String, List<String>> differences(JsonNode found) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        differ(form, found, "full_name", nullToEmpty(desired.fullName()));
        differ(form, found, "phone", nullToEmpty(desired.phone()));
        differ(form, found, "account_number", desired.accountNumber());
        if (desired.tariff() != null) {
            differ(form, found, "tariff_plan", desired.tariff());
        }
        if (found.path("status").asInt(-1) != Integer.parseInt(statusValue())) {
            form.put("status", List.of(statusValue()));
        }
        differ(form, found, "stb_mac", nullToEmpty(desired.stbMac()));
        differ(form, found, "comment", nullToEmpty(desired.comment()));
        if (sendExpiry) {
            String endDate = desired.expiresAt() == null ? NO_EXPIRY : endDate();
            // Ministra reports end_date only with internal billing on; unknown counts as different
            if (!found.has("end_date") || !endDate.equals(found.path("end_date").asText())) {
                form.put("end_date", List.of(endDate));
            }
        }
        if (desired.passwordOutstanding()) {
            form.put("password", List.of(cipher.decrypt(desired.passwordEnc())));
        }
        return form;
    }

    private static void differ(Map<String, List<String>> form, JsonNode found, String field, String wanted) {
        JsonNode value = found.get(field);
        String actual = value == null || value.isNull() ? "" : value.asText();
        if (!actual.equals(wanted)) {
            form.put(field, List.of(wanted));
        }
    }

    private String statusValue() {
        return desired.status().equals("active") ? "1" : "0";
    }

    private String endDate() {
        return desired.expiresAt().atZoneSameInstant(ministraZone).format(MINISTRA_TIME);
    }

    private static void putIfSet(Map<String, List<String>> form, String field, String value) {
        if (value != null) {
            form.put(field, List.of(value));
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        return "PushConversation[" + desired + ", " + operation + ", step=" + step + "]";
    }
}
