package dev.ministramanager.openapi;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.DefaultRestApiResponseAdapter;
import org.apache.camel.openapi.RestOpenApiSupport;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;

import io.swagger.v3.oas.models.OpenAPI;

/**
 * Serves {@code /api/v1/openapi.json} (and {@code .yaml}) as camel-openapi-java renders it from the REST DSL, with
 * one step added between reading and writing: {@link ContractEnricher} completes what the REST DSL cannot express
 * (summaries, constraints, problem responses, security schemes). Camel uses this factory because it is the only one
 * in the registry; everything else (reading the REST model and the request types, X-Forwarded headers, rendering)
 * stays camel-openapi-java's.
 */
public class ContractApiProcessorFactory implements RestApiProcessorFactory {

    @Override
    public Processor createApiProcessor(CamelContext camel, String contextPath, RestConfiguration configuration,
                                        Map<String, Object> parameters) {
        RestOpenApiSupport support = new RestOpenApiSupport();
        BeanConfig openApiConfig = new BeanConfig();
        // the options camel-openapi-java's own factory passes: the api-properties and the context path
        Map<String, Object> options = new HashMap<>(parameters == null ? Map.of() : parameters);
        if (configuration.getApiProperties() != null) {
            options.putAll(configuration.getApiProperties());
        }
        options.putIfAbsent("base.path", configuration.getContextPath());
        if (configuration.getScheme() != null) {
            options.putIfAbsent("schemes", configuration.getScheme());
        }
        support.initOpenApi(openApiConfig, options);
        ContractEnricher enricher = new ContractEnricher(camel);
        return exchange -> {
            EnrichingAdapter adapter = new EnrichingAdapter(enricher);
            support.renderResourceListing(camel, adapter, openApiConfig, wantsJson(exchange), camel.getClassResolver(),
                    configuration, exchange);
            adapter.copyResult(exchange);
        };
    }

    private static boolean wantsJson(Exchange exchange) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        if (path != null && path.endsWith(".yaml")) {
            return false;
        }
        String accept = exchange.getIn().getHeader("Accept", String.class);
        return path != null && path.endsWith(".json") || accept == null
                || !accept.toLowerCase(Locale.ROOT).contains("yaml");
    }

    /** Completes the document camel-openapi-java has just read, before it is written. */
    private static final class EnrichingAdapter extends DefaultRestApiResponseAdapter {

        private final ContractEnricher enricher;

        EnrichingAdapter(ContractEnricher enricher) {
            this.enricher = enricher;
        }

        @Override
        public void setOpenApi(OpenAPI openApi) {
            super.setOpenApi(enricher.enrich(openApi));
        }
    }
}
