package dev.ministramanager.security;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** What the console session and token operations answer (ConsoleSignIn, ApiUserAdmin), for the OpenAPI document only. */
public final class SessionAnswers {

    private SessionAnswers() {
    }

    /** ConsoleSignIn.describe. */
    @Schema(name = "Session", description = "Who is signed in, and what they may see")
    public record Session(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "operator") String username,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"viewer", "manager", "admin"})
            String role,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean allCompanies,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "[1, 2]") List<Long> companies,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "Send as"
                    + " X-CSRF-Token with every change made with the session cookie (null: not signed in with the"
                    + " cookie)") String csrfToken,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1800") long idleTimeoutSeconds) {
    }

    /** ApiUserAdmin.rotateToken. */
    @Schema(name = "ApiToken", description = "A new API token (shown once); the user's other tokens are revoked")
    public record Token(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "billing") String username,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "mm_70caad06a0fd8480_wiDbRdvKj3CI...")
            String token) {
    }
}
