package dev.ministramanager.ministra;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/**
 * Turns a {@link MinistraRequest} into the HTTP exchange the {@code ministra-call} route sends: all other headers
 * removed, the URL built from the company's base URL, HTTP Basic credentials, and a form-encoded body. Ministra reads
 * only form-encoded bodies (a JSON body is silently ignored), so that is the only encoding this client has.
 */
public class MinistraRequests {

    public static final String ENDPOINT = "ministraEndpoint";
    public static final String STARTED_NANOS = "ministraStartedNanos";
    /** The call's socket read timeout: also the most the body of one answer may take to arrive whole. */
    public static final String READ_TIMEOUT_MS = "ministraReadTimeoutMs";
    public static final String REQUEST = "ministraRequest";
    public static final String ROW_READ = "ministraRowRead";

    /** Account form fields that name a tariff plan by its external id. */
    private static final Set<String> TARIFF_FIELDS = Set.of("tariff_plan", "tariff_instead_expired");

    private final MinistraTargets targets;
    private final KnownTariffs tariffs;
    private final int connectionsPerCompany;

    public MinistraRequests(MinistraTargets targets, KnownTariffs tariffs, int connectionsPerCompany) {
        this.targets = targets;
        this.tariffs = tariffs;
        this.connectionsPerCompany = connectionsPerCompany;
    }

    public void prepare(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        prepareCall(exchange, exchange.getMessage().getMandatoryBody(MinistraRequest.class), null, false);
    }

    /**
     * For {@code ministra-read-rows}: the same request, but the answer is left as the open response stream, so that
     * {@link MinistraResponses#streamRows} parses it row by row instead of holding the whole body.
     */
    public void prepareRowRead(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        MinistraRowRead read = exchange.getMessage().getMandatoryBody(MinistraRowRead.class);
        exchange.setVariable(ROW_READ, read);
        prepareCall(exchange, read.request(), read.readTimeoutMs(), true);
    }

    private void prepareCall(Exchange exchange, MinistraRequest request, Integer readTimeoutOverride, boolean stream) {
        checkTariffs(request);
        MinistraTarget target = targets.of(request.companyId());
        Message message = exchange.getMessage();
        message.removeHeaders("*");

        int readTimeout = readTimeoutOverride == null ? target.readTimeoutMs() : readTimeoutOverride;
        URI base = URI.create(target.baseUrl());
        exchange.setVariable(ENDPOINT, "http://" + base.getRawAuthority() + "?throwExceptionOnFailure=false"
                + "&connectTimeout=" + target.connectTimeoutMs()
                + "&responseTimeout=" + readTimeout
                + "&soTimeout=" + readTimeout
                + "&connectionsPerRoute=" + connectionsPerCompany
                + "&skipResponseHeaders=true"
                // the answer as the connection's stream: read as it arrives (rows), or up to a bound (one answer)
                + "&disableStreamCache=true");
        exchange.setVariable(REQUEST, request);
        exchange.setVariable(READ_TIMEOUT_MS, readTimeout);
        message.setHeader(Exchange.HTTP_URI, target.baseUrl() + path(request));
        // the enum the HTTP producer reads: as a String it would be converted on every call, at a noticeable cost
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(request.method()));
        message.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (target.user() + ":" + target.password()).getBytes(StandardCharsets.UTF_8)));
        if (request.method().equals("GET")) {
            message.setBody(null);
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
            message.setBody(formEncode(request.form()));
        }
        // the answer as sent (never asked for compressed): Camel would otherwise decompress a gzip one itself, into a
        // stream that can only be drained, not dropped at its bound
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, true);
        exchange.setVariable(STARTED_NANOS, System.nanoTime());
    }

    /**
     * Known-tariff guardrail: every plan an account write names must be an active plan of the company, because
     * Ministra stores an unknown one as "no plan" (the default plan) without an error; and an empty
     * {@code tariff_plan} on PUT is an SQL error on the server.
     */
    void checkTariffs(MinistraRequest request) {
        for (String field : TARIFF_FIELDS) {
            for (String externalId : request.form().getOrDefault(field, List.of())) {
                if (externalId.isEmpty()) {
                    if (field.equals("tariff_plan") && request.method().equals("PUT")) {
                        throw MinistraFailure.guardrail("Refusing an empty tariff_plan on PUT: Ministra fails"
                                + " with an SQL error; leave the field out to keep the plan");
                    }
                } else if (!tariffs.isActivePlan(request.companyId(), externalId)) {
                    throw MinistraFailure.guardrail("Refusing " + field + " '" + externalId + "': not an active"
                            + " tariff plan of company " + request.companyId() + " (Ministra would silently use"
                            + " its default plan); sync the tariffs if the plan is new");
                }
            }
        }
    }

    private static String path(MinistraRequest request) {
        if (request.identifiers().isEmpty()) {
            return request.resource();
        }
        StringJoiner ids = new StringJoiner(",");
        request.identifiers().forEach(id -> ids.add(encodedIdentifier(id)));
        return request.resource() + "/" + ids;
    }

    /** An identifier as it appears in the URL path; batch readers use its length to keep URLs under the limit. */
    public static String encodedIdentifier(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("%3A", ":").replace("%40", "@");
    }

    static String formEncode(Map<String, List<String>> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((key, values) -> values.forEach(value -> body.add(
                URLEncoder.encode(key, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return body.toString();
    }
}
