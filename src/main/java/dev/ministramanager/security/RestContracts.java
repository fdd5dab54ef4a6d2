package dev.ministramanager.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.SecurityDefinition;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * What each REST verb of {@code routes/*-rest.camel.yaml} declares about itself: the role it requires (its
 * {@code security} scope), the JSON type of its request body ({@code type}) and whether its path names a company.
 * Read once from the REST model at start-up; a verb that declares no role stops the service from starting, so no
 * endpoint can be left open by omission.
 */
public final class RestContracts {

    /** {@code role} is null for a public verb (scope {@code public}): one that authenticates the caller itself. */
    public record Contract(String routeId, Role role, Class<?> requestType, boolean companyInPath) {

        public boolean isPublic() {
            return role == null;
        }
    }

    /** The scope of the one verb that takes no credentials: signing in ({@code POST /session}). */
    static final String PUBLIC = "public";

    private final Map<String, Contract> byRouteId;

    private RestContracts(Map<String, Contract> byRouteId) {
        this.byRouteId = byRouteId;
    }

    public static RestContracts read(CamelContext camel) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, Contract> contracts = new HashMap<>();
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String routeId = routeIdOf(verb);
                String path = (rest.getPath() == null ? "" : rest.getPath())
                        + (verb.getPath() == null ? "" : verb.getPath());
                contracts.put(routeId, new Contract(routeId, roleOf(verb, routeId), typeOf(camel, verb),
                        path.contains("{companyId}")));
            }
        }
        return new RestContracts(Map.copyOf(contracts));
    }

    public Optional<Contract> of(String routeId) {
        return Optional.ofNullable(routeId).map(byRouteId::get);
    }

    private static String routeIdOf(VerbDefinition verb) {
        if (verb.getRouteId() != null) {
            return verb.getRouteId();
        }
        String uri = verb.getTo() == null ? null : verb.getTo().getUri();
        if (uri == null || !uri.startsWith("direct:")) {
            throw new IllegalStateException("REST verb " + verb.getPath() + " must forward to a direct: route");
        }
        return uri.substring("direct:".length());
    }

    private static Role roleOf(VerbDefinition verb, String routeId) {
        List<SecurityDefinition> security = verb.getSecurity();
        if (security == null || security.size() != 1 || security.get(0).getScopes() == null) {
            throw new IllegalStateException("REST verb of route '" + routeId
                    + "' must declare exactly one security requirement whose scope is its role"
                    + " (viewer, manager or admin)");
        }
        String scope = security.get(0).getScopes().trim();
        return scope.equals(PUBLIC) ? null : Role.of(scope);
    }

    private static Class<?> typeOf(CamelContext camel, VerbDefinition verb) {
        if (verb.getType() == null) {
            return null;
        }
        try {
            return camel.getClassResolver().resolveMandatoryClass(verb.getType());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("REST verb type " + verb.getType() + " does not exist", e);
        }
    }
}
