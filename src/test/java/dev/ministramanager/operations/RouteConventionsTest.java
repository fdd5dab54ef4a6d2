package dev.ministramanager.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/**
 * The conventions the routes rely on, checked on the real files: the company scope comes only from the API gate's
 * variables, and every outbound step has an id (for advice, tracing and metrics) in canonical YAML.
 */
class RouteConventionsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void noRouteReadsACompanyFromTheRequestItself() throws IOException {
        for (Path file : routeFiles()) {
            String text = Files.readString(file);
            assertThat(text).as(file.toString())
                    .doesNotContainIgnoringCase("header.companyId")
                    .doesNotContainIgnoringCase("header.company}")
                    .doesNotContainIgnoringCase("headers.companyId");
        }
    }

    @Test
    void everyOutboundStepHasAnIdInCanonicalForm() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path file : routeFiles()) {
            collectOutboundWithoutId(YAML.readTree(file.toFile()), file.getFileName().toString(), missing);
        }
        assertThat(missing).isEmpty();
        assertThat(routeFiles()).hasSizeGreaterThanOrEqualTo(3);
    }

    private static void collectOutboundWithoutId(JsonNode node, String file, List<String> missing) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                boolean outbound = field.getKey().equals("to") || field.getKey().equals("toD")
                        || field.getKey().equals("wireTap") || field.getKey().equals("enrich");
                if (outbound && field.getValue().isObject() && !field.getValue().has("id")) {
                    missing.add(file + ": " + field.getKey() + " " + field.getValue().path("uri").asText());
                }
                if (outbound && field.getValue().isTextual() && !node.has("path") && !node.has("security")) {
                    missing.add(file + ": compact " + field.getKey() + " " + field.getValue().asText());
                }
                collectOutboundWithoutId(field.getValue(), file, missing);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectOutboundWithoutId(child, file, missing));
        }
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(path -> path.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }
}
