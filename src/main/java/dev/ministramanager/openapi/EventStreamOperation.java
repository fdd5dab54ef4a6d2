package dev.ministramanager.openapi;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ministramanager.events.EventStream;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * {@code GET /events/stream}: the server-sent events {@link EventStream} serves with a Vert.x handler beside the REST
 * routes, which camel-openapi-java therefore never sees. This adds it as the REST DSL would declare it (tag,
 * operationId, description, role, parameters, success answer); {@link ContractEnricher} then completes it like any
 * verb (summary, security, parameter rules, problems).
 */
final class EventStreamOperation {

    static final String ID = "events-stream";
    /** Any signed-in user: ApiGate's authenticateReader checks no role, and every role includes viewer's reads. */
    static final String ROLE = "viewer";
    static final String EVENT_STREAM = "text/event-stream";
    static final String DESCRIPTION = "Stream events as server-sent events. Any signed-in user, filtered by what"
            + " that user may see: the events of the companies the caller may see (or of ?company=), of ?types="
            + " (comma-separated types or patterns such as account.*), oldest first and then as they happen. The"
            + " answer stays open: each event is one frame, `id:` its sequence number, `event:` its type and `data:`"
            + " the event as one line of JSON (the `Event` schema, as in the items of GET /events); the first line is"
            + " `retry: 3000`, and a `: heartbeat` comment follows every mm.events.stream-heartbeat-seconds, at which"
            + " the caller's credentials are checked again (the stream ends once the session ends or the user is"
            + " disabled). A client that reconnects with Last-Event-ID (an EventSource does) or ?after= resumes after"
            + " that event, for as long as events are kept; after=now starts with the next event. Authenticated like"
            + " the REST API: a bearer token, HTTP Basic, or the console's session cookie (an EventSource cannot send"
            + " an Authorization header; a read needs no CSRF token).";

    private static final String COMPONENTS = "#/components/schemas/";

    private EventStreamOperation() {
    }

    /** Adds the operation under its path relative to the REST context path (the document's server). */
    static void addTo(OpenAPI openApi, String contextPath) {
        String path = EventStream.PATH.substring(contextPath == null ? 0 : contextPath.length());
        Operation stream = new Operation().operationId(ID).tags(List.of("Events"))
                .parameters(List.<Parameter>of(
                        new QueryParameter().name("company").required(false).description("The one company whose"
                                + " events to stream (default: every company the caller may see)"),
                        new QueryParameter().name("types").required(false).description("Comma-separated event"
                                + " types or patterns such as account.* (default: every type)"),
                        new QueryParameter().name("after").required(false).description("The sequence number after"
                                + " which to start (default 0: from the oldest event kept), or now: only the events"
                                + " that come next; Last-Event-ID wins when both are sent"),
                        new HeaderParameter().name("Last-Event-ID").required(false).description("The id of the"
                                + " last event received: a reconnecting EventSource sends it, and the stream resumes"
                                + " after it")))
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("The events, as"
                        + " they happen, until the client goes; frames as described above")
                        .content(new Content().addMediaType(EVENT_STREAM, new MediaType()
                                .schema(new StringSchema()).example(exampleFrames(openApi))))));
        openApi.getPaths().addPathItem(path, new PathItem().get(stream));
    }

    /** What a client reads: the retry line, one event (the {@code Event} schema's example) and a heartbeat. */
    private static String exampleFrames(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas() == null ? Map.of()
                : openApi.getComponents().getSchemas();
        Object event = AnswerExamples.exampleOf(new Schema<>().$ref(COMPONENTS + "Event"), schemas, new HashSet<>());
        if (!(event instanceof Map<?, ?> members) || members.isEmpty()) {
            // no Event schema in the document: OpenApiContractTest's check of this example names it
            return null;
        }
        try {
            return "retry: 3000\n\nid: " + members.get("sequence") + "\nevent: " + members.get("type") + "\ndata: "
                    + Json.mapper().writeValueAsString(event) + "\n\n: heartbeat\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The Event example cannot be written as JSON", e);
        }
    }
}
