package dev.ministramanager.simulator;

import java.util.List;

/**
 * One API request after the simulated server handled it: the response, and what the write log needs to know.
 *
 * @param response    what goes on the wire
 * @param resource    the resource as it appeared in the path, or null when the path had none
 * @param identifiers the identifier list (empty when the path had none)
 * @param result      "OK", "ERROR" or "HTTP 401"
 * @param error       the error text of an "ERROR" or 401 answer, else null
 */
record ApiOutcome(ApiResponse response, String resource, List<String> identifiers, String result, String error) {
}
