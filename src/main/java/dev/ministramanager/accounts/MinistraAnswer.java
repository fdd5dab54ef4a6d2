package dev.ministramanager.accounts;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Collects what the Ministra client answered to an {@code enrich} of the push route: the result, or the failure,
 * into variables of the push exchange. The call runs on a copy, so a failure raised inside the client route (and
 * exhausted by that route's error handler) does not bypass the push route's dead-letter channel; the push decides
 * what the failure means and, if it ends the push, throws it again from its own route.
 */
public class MinistraAnswer implements AggregationStrategy {

    public static final String RESULT = "ministraResult";
    public static final String FAILURE = "ministraFailure";

    @Override
    public Exchange aggregate(Exchange push, Exchange call) {
        push.removeVariable(RESULT);
        push.removeVariable(FAILURE);
        if (call.getException() != null) {
            push.setVariable(FAILURE, call.getException());
        } else {
            push.setVariable(RESULT, call.getMessage().getBody());
        }
        return push;
    }
}
