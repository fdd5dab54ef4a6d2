package dev.ministramanager.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the simulated Apache + PHP stack sends back.
 *
 * @param status  HTTP status
 * @param headers application headers in sending order (framing headers are added by the server)
 * @param body    the body bytes; for HEAD nothing is sent and no Content-Length is announced
 */
record ApiResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    static final String JSON = "application/json";

    static ApiResponse json(int status, String body, List<Map.Entry<String, String>> headers) {
        return new ApiResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
