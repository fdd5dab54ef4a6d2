package dev.ministramanager.accounts;

/** One account this node may push until its lease runs out; the token proves the claim is still ours. */
public record PushClaim(long accountId, String token) {
}
