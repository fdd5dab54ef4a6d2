package dev.ministramanager.openapi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.ministramanager.Application;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.main.Main;
import org.apache.camel.support.DefaultExchange;

/**
 * Writes the OpenAPI document to a file, exactly as {@code GET /api/v1/openapi.json} answers it, without a
 * database or a Ministra to set up: the service starts on an in-memory database and free ports, with nothing
 * scheduled, and stops again. The build uses it to generate a client in the test phase; a billing integrator can
 * use it in CI: {@code java -cp target/ministra-manager-runner.jar dev.ministramanager.openapi.OpenApiDocumentExport
 * openapi.json}.
 */
public final class OpenApiDocumentExport {

    private OpenApiDocumentExport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: OpenApiDocumentExport <file to write>");
        }
        Path target = Path.of(args[0]);
        Main main = Application.newMain();
        main.setOverrideProperties(quietService(target));
        main.start();
        try {
            byte[] document = render(main.getCamelContext());
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Files.write(target, document);
        } finally {
            main.stop();
        }
        // the HTTP server's threads must not keep the JVM alive
        System.exit(0);
    }

    /** The document as the served endpoint renders it (the same factory, the same REST configuration). */
    static byte[] render(CamelContext camel) throws Exception {
        Processor document = new ContractApiProcessorFactory().createApiProcessor(camel, "/openapi.json",
                camel.getRestConfiguration(), null);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setHeader(Exchange.HTTP_PATH, "/openapi.json");
        document.process(exchange);
        return exchange.getMessage().getBody(byte[].class);
    }

    private static Properties quietService(Path target) {
        Properties properties = new Properties();
        properties.setProperty("mm.db.url", "jdbc:h2:mem:openapi-export;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH");
        properties.setProperty("mm.http.port", "0");
        properties.setProperty("mm.management.port", "0");
        properties.setProperty("mm.simulator.enabled", "false");
        properties.setProperty("mm.bootstrap.generate-admin-token", "false");
        // a throwaway key beside the output: nothing is encrypted, the service only needs one to start
        Path keyFile = target.toAbsolutePath().resolveSibling("openapi-export-secret.key");
        properties.setProperty("mm.secret-key-file", keyFile.toString());
        properties.setProperty("mm.accounts.push.enabled", "false");
        properties.setProperty("mm.status.refresh-enabled", "false");
        properties.setProperty("mm.log.level", "WARN");
        return properties;
    }
}
