package dev.ministramanager.simulator;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The simulator's own API under {@code /_sim/} on the simulator's port: JSON in and out, no authentication. The
 * endpoints are listed in {@link #INDEX}, which {@code GET /_sim} also serves. Fault kinds for {@code POST
 * /_sim/faults}: latency (delay_ms, jitter_ms), capacity (limit), outage (lasting_ms required), connection_reset,
 * http_error (status), empty_body, php_warning, output_key, truncated_body, slow_response (delay_ms), unauthorized;
 * each may add resource, method, probability, times and lasting_ms (an outage only lasting_ms: a closed port
 * counts nothing).
 */
final class ControlApi {

    static final String INDEX = """
            GET    /_sim                          this list
            POST   /_sim/reset                    seed catalogue, no accounts/events/faults, empty write log
            PUT    /_sim/catalogue                {"packages":[{"id":1,"external_id":"base_tv","name":"Base TV","type":"tv","price":"0.00"}],"plans":[{"id":1,"external_id":"basic","name":"Basic","user_default":1,"packages":[{"id":1,"optional":0}]}]}
            GET    /_sim/config                   the server switches
            POST   /_sim/config                   {"enable_internal_billing":true,"allow_multiple_stb_update":false,"watchdog_timeout":120}
            GET    /_sim/accounts                 every row, with internal id and pending events
            POST   /_sim/accounts/bulk            {"count":100000,"prefix":"bench"}
            POST   /_sim/devices                  {"mac":"00:1A:79:00:00:01","serial":"SN1","type":"MAG322","version":"2.20","ip":"10.0.0.2"}
            POST   /_sim/devices/{mac}/keepalive  watchdog poll
            GET    /_sim/devices/{mac}/events     pending events; ?deliver=true delivers them
            GET    /_sim/faults                   active fault rules
            POST   /_sim/faults                   {"kind":"http_error","status":503,"resource":"accounts","method":"POST","probability":1,"times":2,"lasting_ms":5000}
            DELETE /_sim/faults[/{id}]            remove every rule, or one
            GET    /_sim/write-log                every POST/PUT/DELETE to the Ministra API
            DELETE /_sim/write-log                empty it
            """;

    private final MinistraSimulator simulator;

    ControlApi(MinistraSimulator simulator) {
        this.simulator = simulator;
    }

    void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            try {
                JsonObject input = body.length() == 0 ? new JsonObject() : body.toJsonObject();
                route(request, input);
            } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
                reply(request, 400, new JsonObject().put("error", e.getMessage()));
            }
        });
    }

    private void route(HttpServerRequest request, JsonObject input) {
        String[] parts = request.path().replaceAll("/+$", "").split("/");
        // parts[0] is "", parts[1] is "_sim"
        String head = parts.length > 2 ? parts[2] : "";
        HttpMethod method = request.method();
        switch (head) {
            case "" -> {
                request.response().putHeader("Content-Type", "text/plain").end(INDEX);
                return;
            }
            case "reset" -> {
                if (method == HttpMethod.POST) {
                    simulator.reset();
                    reply(request, 200, new JsonObject().put("reset", true));
                    return;
                }
            }
            case "catalogue" -> {
                if (method == HttpMethod.PUT) {
                    simulator.replaceCatalogue(input.encode());
                    reply(request, 200, new JsonObject().put("replaced", true));
                    return;
                }
            }
            case "config" -> {
                if (method == HttpMethod.POST) {
                    configure(input);
                }
                if (method == HttpMethod.POST || method == HttpMethod.GET) {
                    reply(request, 200, config());
                    return;
                }
            }
            case "accounts" -> {
                if (parts.length == 3 && method == HttpMethod.GET) {
                    reply(request, 200, new JsonArray(List.copyOf(simulator.accountsSnapshot())));
                    return;
                }
                if (parts.length == 4 && parts[3].equals("bulk") && method == HttpMethod.POST) {
                    simulator.loadAccounts(input.getInteger("count", 0), input.getString("prefix", "user"));
                    reply(request, 200, new JsonObject().put("loaded", input.getInteger("count", 0)));
                    return;
                }
            }
            case "devices" -> {
                if (devices(request, parts, input)) {
                    return;
                }
            }
            case "faults" -> {
                if (faults(request, parts, input)) {
                    return;
                }
            }
            case "write-log" -> {
                if (method == HttpMethod.GET) {
                    JsonArray entries = new JsonArray();
                    simulator.writeLog().forEach(entry -> entries.add(writeLogEntry(entry)));
                    reply(request, 200, entries);
                    return;
                }
                if (method == HttpMethod.DELETE) {
                    simulator.clearWriteLog();
                    reply(request, 200, new JsonObject().put("cleared", true));
                    return;
                }
            }
            default -> {
                // unknown path: 404 below
            }
        }
        reply(request, 404, new JsonObject().put("error", "no such control endpoint: " + request.method() + " "
                + request.path() + " (GET /_sim lists them)"));
    }

    private boolean devices(HttpServerRequest request, String[] parts, JsonObject input) {
        HttpMethod method = request.method();
        Devices devices = simulator.devices();
        if (parts.length == 3 && method == HttpMethod.POST) {
            Devices.Device device = devices.register(input.getString("mac"), input.getString("serial", ""),
                    input.getString("type", ""), input.getString("version", ""), input.getString("ip", ""));
            reply(request, 200, JsonObject.mapFrom(device));
            return true;
        }
        if (parts.length != 5) {
            return false;
        }
        String mac = parts[3];
        if (parts[4].equals("keepalive") && method == HttpMethod.POST) {
            devices.keepAlive(mac).ifPresentOrElse(d -> reply(request, 200, JsonObject.mapFrom(d)),
                    () -> reply(request, 404, new JsonObject().put("error", "no row with MAC " + mac)));
            return true;
        }
        if (parts[4].equals("events") && method == HttpMethod.GET) {
            boolean deliver = "true".equals(request.getParam("deliver"));
            List<DeviceEvent> events = deliver ? devices.takePendingEvents(mac) : devices.pendingEvents(mac);
            JsonArray out = new JsonArray();
            events.forEach(e -> out.add(new JsonObject().put("id", e.id()).put("event", e.event())
                    .put("msg", e.msg()).put("need_confirm", e.needConfirm()).put("reboot_after_ok",
                            e.rebootAfterOk()).put("priority", e.priority())
                    .put("auto_hide_timeout", e.autoHideTimeout()).put("param1", e.param1())
                    .put("added_at", e.addedAt().toString()).put("expires_at", e.expiresAt().toString())));
            reply(request, 200, out);
            return true;
        }
        return false;
    }

    private boolean faults(HttpServerRequest request, String[] parts, JsonObject input) {
        HttpMethod method = request.method();
        Faults faults = simulator.faults();
        if (parts.length == 3 && method == HttpMethod.GET) {
            JsonArray out = new JsonArray();
            faults.list().forEach(f -> out.add(new JsonObject().put("id", f.id()).put("fault", f.fault().toString())
                    .put("remaining", f.remaining()).put("until", f.until() == null ? null : f.until().toString())));
            reply(request, 200, out);
            return true;
        }
        if (parts.length == 3 && method == HttpMethod.POST) {
            long id = faults.add(fault(input));
            reply(request, 200, new JsonObject().put("id", id));
            return true;
        }
        if (parts.length == 3 && method == HttpMethod.DELETE) {
            faults.clear();
            reply(request, 200, new JsonObject().put("cleared", true));
            return true;
        }
        if (parts.length == 4 && method == HttpMethod.DELETE) {
            boolean removed = faults.remove(Long.parseLong(parts[3]));
            reply(request, removed ? 200 : 404, new JsonObject().put("removed", removed));
            return true;
        }
        return false;
    }

    static Fault fault(JsonObject spec) {
        String kind = spec.getString("kind", "").toLowerCase(Locale.ROOT).replace('-', '_');
        Duration delay = Duration.ofMillis(spec.getLong("delay_ms", 0L));
        Fault fault = switch (kind) {
            case "latency" -> Fault.latency(delay, Duration.ofMillis(spec.getLong("jitter_ms", 0L)));
            case "capacity" -> Fault.capacity(spec.getInteger("limit", 1));
            case "outage" -> {
                Long window = spec.getLong("lasting_ms");
                if (window == null) {
                    throw new IllegalArgumentException("an outage through the control API needs lasting_ms, or "
                            + "nothing could end it");
                }
                yield Fault.outage(Duration.ofMillis(window));
            }
            case "connection_reset" -> Fault.connectionReset();
            case "http_error" -> Fault.httpError(spec.getInteger("status", 503));
            case "empty_body" -> Fault.emptyBody();
            case "php_warning" -> Fault.phpWarning();
            case "output_key" -> Fault.outputKey();
            case "truncated_body" -> Fault.truncatedBody();
            case "slow_response" -> Fault.slowResponse(delay);
            case "unauthorized" -> Fault.unauthorized();
            default -> throw new IllegalArgumentException("unknown fault kind: " + spec.getString("kind"));
        };
        if (spec.getString("resource") != null) {
            fault = fault.forResource(spec.getString("resource"));
        }
        if (spec.getString("method") != null) {
            fault = fault.forMethod(spec.getString("method"));
        }
        if (spec.getValue("probability") != null) {
            fault = fault.withProbability(spec.getDouble("probability"));
        }
        if (spec.getValue("times") != null) {
            fault = fault.times(spec.getInteger("times"));
        }
        if (spec.getValue("lasting_ms") != null && fault.kind() != Fault.Kind.OUTAGE) {
            fault = fault.lasting(Duration.ofMillis(spec.getLong("lasting_ms")));
        }
        return fault;
    }

    private void configure(JsonObject input) {
        if (input.containsKey("enable_internal_billing")) {
            simulator.internalBilling(input.getBoolean("enable_internal_billing"));
        }
        if (input.containsKey("allow_multiple_stb_update")) {
            simulator.allowMultipleStbUpdate(input.getBoolean("allow_multiple_stb_update"));
        }
        if (input.containsKey("watchdog_timeout")) {
            simulator.watchdogTimeout(Duration.ofSeconds(input.getLong("watchdog_timeout")));
        }
    }

    private JsonObject config() {
        MinistraState state = simulator.state();
        synchronized (state) {
            return new JsonObject().put("enable_internal_billing", state.internalBilling())
                    .put("allow_multiple_stb_update", state.allowMultipleStbUpdate())
                    .put("watchdog_timeout", state.watchdogTimeout().toSeconds())
                    .put("api_url", simulator.apiBaseUrl());
        }
    }

    private static JsonObject writeLogEntry(WriteLogEntry entry) {
        JsonObject form = new JsonObject();
        entry.form().forEach((name, values) -> form.put(name, new JsonArray(List.copyOf(values))));
        return new JsonObject().put("received", entry.received().toString())
                .put("timestamp", entry.timestamp().toString()).put("method", entry.method())
                .put("path", entry.path()).put("resource", entry.resource())
                .put("identifiers", new JsonArray(List.copyOf(entry.identifiers()))).put("form", form)
                .put("result", entry.result()).put("error", entry.error()).put("fault", entry.fault())
                .put("broadcast", entry.isBroadcast());
    }

    private static void reply(HttpServerRequest request, int status, Object json) {
        String body = json instanceof JsonObject o ? o.encode() : ((JsonArray) json).encode();
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
