package dev.ministramanager.ministra;

/** A company's Ministra: API base URL (ending in '/'), Basic credentials and timeouts. */
public record MinistraTarget(long companyId, String baseUrl, String user, String password, int connectTimeoutMs,
                             int readTimeoutMs, boolean enabled) {

    @Override
    public String toString() {
        return "MinistraTarget[companyId=" + companyId + ", baseUrl=" + baseUrl + ", user=" + user + "]";
    }
}
