package dev.ministramanager.companies;

import java.net.URI;
import java.net.URISyntaxException;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.api.TextRules;

/** Field rules of a company, shared by create and change. */
final class CompanyRules {

    static final String DEFAULT_API_PATH = "/stalker_portal/api/v1/";
    static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    static final int DEFAULT_READ_TIMEOUT_MS = 30_000;

    private CompanyRules() {
    }

    static void requireName(String name) {
        requireText("name", name, 200);
        TextRules.checkSingleLine("name", name);
    }

    /**
     * Ministra's API user goes into HTTP Basic as {@code user:password}: a colon would move the split, and CR/LF
     * would break the header.
     */
    static void requireUser(String user) {
        requireText("ministraUser", user, 200);
        TextRules.checkSingleLine("ministraUser", user);
        if (user.indexOf(':') >= 0) {
            throw ProblemException.invalidField("ministraUser", "Field 'ministraUser' must not contain ':' (it"
                    + " separates user and password in HTTP Basic).");
        }
    }

    static void requireText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalidField(field, "Field '" + field + "' is required.");
        }
        if (value.length() > maxLength) {
            throw ProblemException.invalidField(field, "Field '" + field + "' is longer than " + maxLength
                    + " characters.");
        }
    }

    static void requireBaseUrl(String url) {
        requireText("ministraBaseUrl", url, 2000);
        try {
            URI uri = new URI(url.trim());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null
                    || uri.getUserInfo() != null || uri.getPort() > 65535 || uri.getPort() == 0
                    || uri.getPort() < -1) {
                throw new URISyntaxException(url, "not an http(s) base URL");
            }
        } catch (URISyntaxException e) {
            throw ProblemException.invalidField("ministraBaseUrl", "Field 'ministraBaseUrl' must be an http or https"
                    + " URL (port 1 to 65535) without credentials, query or fragment, e.g. http://ministra.example.net"
                    + DEFAULT_API_PATH);
        }
    }

    static void checkTimeout(String field, Integer millis) {
        if (millis != null && (millis < 100 || millis > 600_000)) {
            throw ProblemException.invalidField(field, "Field '" + field + "' must be between 100 and 600000 ms.");
        }
    }

    /** The API base URL as stored: the default API path when none is given, always ending with a slash. */
    static String normalizeBaseUrl(String url) {
        URI uri = URI.create(url.trim());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")
                ? DEFAULT_API_PATH : uri.getRawPath();
        String withSlash = path.endsWith("/") ? path : path + "/";
        return uri.getScheme().toLowerCase() + "://" + uri.getRawAuthority() + withSlash;
    }
}
