package dev.ministramanager.accounts;

/**
 * One account this node may push until its lease runs out; the token proves the claim is still ours. {@code desired}
 * is the account as read right after the claim (a change made later is pushed by the next push: the account is
 * pending again when its version moved on).
 */
public record PushClaim(String token, DesiredAccount desired) {

    long accountId() {
        return desired.id();
    }
}
