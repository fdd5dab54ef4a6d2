package dev.ministramanager.accounts;

import dev.ministramanager.api.JsonRequests.Validated;
import dev.ministramanager.api.ProblemException;

/**
 * Body of {@code POST /dead-letters/replay}: replays every open dead letter that matches (and the company named by
 * {@code ?company=}, else every company the caller sees), at most {@code limit} (default 100, at most 1000).
 */
public record DeadLetterReplay(String cause, Integer olderThanMinutes, Integer limit) implements Validated {

    @Override
    public void validate() {
        if (olderThanMinutes != null && olderThanMinutes < 0) {
            throw ProblemException.invalidField("olderThanMinutes", "Field 'olderThanMinutes' must not be negative.");
        }
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw ProblemException.invalidField("limit", "Field 'limit' must be 1 to 1000.");
        }
    }
}
