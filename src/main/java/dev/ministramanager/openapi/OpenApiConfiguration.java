package dev.ministramanager.openapi;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * The API's contract: the OpenAPI document at {@code /api/v1/openapi.json}, rendered by camel-openapi-java and
 * completed by {@link ContractEnricher}, and its interactive reference (Swagger UI) at {@code /api/v1/docs/}.
 */
public class OpenApiConfiguration implements CamelConfiguration {

    @PropertyInject("camel.server.port")
    private int port;

    @Override
    public void configure(CamelContext camel) {
        camel.getRegistry().bind("contractApiProcessorFactory", new ContractApiProcessorFactory());
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    SwaggerUi.install(camel, port);
                }
            }
        });
    }
}
