package dev.ministramanager.simulator;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link MinistraSimulator} per test class on a free port, reset before each test, injectable as a parameter:
 *
 * <pre>
 * &#64;ExtendWith(SimulatorExtension.class)
 * &#64;SimulatorExtension.Config(watchdogTimeoutMillis = 1500)   // optional
 * class MyTest {
 *     &#64;Test void provisions(MinistraSimulator ministra) { ... ministra.apiBaseUrl() ... }
 * }
 * </pre>
 */
public final class SimulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        ParameterResolver {

    /** Optional settings for the simulator of the annotated test class. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    public @interface Config {
        String apiUser() default "ministra";

        String apiPassword() default "ministra-secret";

        long watchdogTimeoutMillis() default 120_000;

        boolean internalBilling() default false;
    }

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SimulatorExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Config config = context.getRequiredTestClass().getAnnotation(Config.class);
        SimulatorSettings settings = SimulatorSettings.defaults().withPort(0);
        settings = config == null
                ? settings.withCredentials("ministra", "ministra-secret")
                : settings.withCredentials(config.apiUser(), config.apiPassword())
                        .withWatchdogTimeout(Duration.ofMillis(config.watchdogTimeoutMillis()))
                        .withInternalBilling(config.internalBilling());
        context.getStore(NAMESPACE).put(MinistraSimulator.class, MinistraSimulator.start(settings));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        MinistraSimulator simulator = context.getStore(NAMESPACE).remove(MinistraSimulator.class,
                MinistraSimulator.class);
        if (simulator != null) {
            simulator.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        simulator(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MinistraSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return simulator(context);
    }

    private static MinistraSimulator simulator(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        MinistraSimulator simulator = classContext.getStore(NAMESPACE).get(MinistraSimulator.class,
                MinistraSimulator.class);
        if (simulator == null) {
            throw new IllegalStateException("SimulatorExtension has no simulator for " + context.getDisplayName());
        }
        return simulator;
    }
}
