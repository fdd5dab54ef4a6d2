package dev.ministramanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.scan.DefaultPackageScanResourceResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast jar listing finds exactly the route files Camel's own resolver finds in a jar. */
class JarDirectoryResourceResolverTest {

    @TempDir
    Path folder;

    @Test
    void findsTheSameRouteFilesInAJarAsCamelsResolver() throws Exception {
        Path jar = folder.resolve("service.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "routes/");
            add(out, "routes/orders.camel.yaml");
            add(out, "routes/billing.camel.yaml");
            add(out, "routes/notes.txt");
            add(out, "routes/old/legacy.camel.yaml");
            add(out, "elsewhere/other.camel.yaml");
            add(out, "routes/Generated.class");
        }
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             DefaultCamelContext camel = new DefaultCamelContext()) {
            DefaultPackageScanResourceResolver camels = new DefaultPackageScanResourceResolver();
            JarDirectoryResourceResolver fast = new JarDirectoryResourceResolver();
            for (DefaultPackageScanResourceResolver resolver : new DefaultPackageScanResourceResolver[] {camels, fast}) {
                resolver.setCamelContext(camel);
                resolver.addClassLoader(classes);
            }

            Set<String> expected = inJar(camels, jar);
            assertThat(expected).containsExactly("routes/billing.camel.yaml", "routes/orders.camel.yaml");
            assertThat(inJar(fast, jar)).isEqualTo(expected);
        }
    }

    private static Set<String> inJar(DefaultPackageScanResourceResolver resolver, Path jar) throws Exception {
        Set<String> names = new TreeSet<>();
        for (Resource resource : resolver.findResources("classpath:routes/*.camel.yaml")) {
            if (resource.getURI().toString().contains(jar.getFileName().toString())) {
                names.add(resource.getLocation().substring(resource.getLocation().indexOf("routes/")));
            }
        }
        return names;
    }

    private static void add(JarOutputStream out, String name) throws IOException {
        out.putNextEntry(new JarEntry(name));
        if (!name.endsWith("/")) {
            out.write(("# " + name + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }
}
