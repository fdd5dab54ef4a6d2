package dev.ministramanager.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The gate splits an Authorization header by hand exactly as {@code Pattern.compile("\\s+").split(trimmed, 2)} did. */
class AuthorizationSchemeAndValueTest {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    @Test
    void splitsAsTheRegularExpressionDid() {
        List<String> headers = List.of("Bearer abc", "Basic dXNlcjpwYXNz", "  Bearer   abc  ", "Bearer\tabc",
                "Bearer \t\n\u000B\f\rabc def", "Bearer", "Bearer ", "bearer a b c", "Basic=", "\u0001Bearer x",
                "Bearer\u00A0abc", "Bearer\u2003abc", "x y", "Bearer \u0000", " ", "");
        for (String header : headers) {
            String[] byRegex = WHITESPACE.split(header.trim(), 2);
            String[] byHand = ApiGate.schemeAndValue(header);
            if (byRegex.length == 2) {
                assertThat(byHand).as(header).containsExactly(byRegex);
            } else {
                assertThat(byHand).as(header).isNull();
            }
        }
    }
}
