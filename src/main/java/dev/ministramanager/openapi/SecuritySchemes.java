package dev.ministramanager.openapi;

import java.util.List;

import dev.ministramanager.security.ConsoleSessions;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * How a caller authenticates (ApiGate accepts each): any one of these schemes authenticates every operation but the
 * console's sign-in; the role an operation needs is in its description and its {@code x-required-role}.
 */
final class SecuritySchemes {

    private static final List<Named> SCHEMES = List.of(
            new Named("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .bearerFormat("mm_<id>_<secret>")
                    .description("An API token (`mm_<id>_<secret>`, shown once when issued) or the bootstrap admin"
                            + " token: `Authorization: Bearer <token>`.")),
            new Named("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                    .description("An API user's name and password (users created with a password).")),
            new Named("session", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.COOKIE).name(ConsoleSessions.COOKIE)
                    .description("The operator console's session cookie, from `POST /session`; unsafe methods also"
                            + " carry its CSRF token in the `" + ConsoleSessions.CSRF_HEADER + "` header.")));

    private record Named(String name, SecurityScheme scheme) {
    }

    private SecuritySchemes() {
    }

    /** Replaces the schemes the REST DSL declares (the DSL has no HTTP scheme type) with the ones above. */
    static void addTo(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().setSecuritySchemes(new java.util.LinkedHashMap<>());
        SCHEMES.forEach(named -> openApi.getComponents().addSecuritySchemes(named.name(), named.scheme()));
    }

    /** One requirement per scheme: any one of them is enough. */
    static List<SecurityRequirement> requirements() {
        return SCHEMES.stream().map(named -> new SecurityRequirement().addList(named.name())).toList();
    }
}
