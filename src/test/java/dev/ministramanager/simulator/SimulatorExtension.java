package dev.ministramanager.simulator;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.threeten.extra.MutableClock;

/**
 * One {@link MinistraSimulator} per test class on a free port, reset before each test, injectable as a parameter.
 * With {@code testClock = true} the simulator's time stands still until the test moves it: a {@link MutableClock}
 * parameter is the simulator's clock, so a test ages events or lets a box's watchdog expire with
 * {@code clock.add(...)} instead of sleeping.
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

        /** The simulator runs on a {@link MutableClock} the test advances, not on the wall clock. */
        boolean testClock() default false;
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
        Clock clock = Clock.systemUTC();
        if (config != null && config.testClock()) {
            MutableClock testClock = MutableClock.of(Instant.now(), ZoneOffset.UTC);
            context.getStore(NAMESPACE).put(MutableClock.class, testClock);
            clock = testClock;
        }
        context.getStore(NAMESPACE).put(MinistraSimulator.class, MinistraSimulator.start(settings, clock));
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
        Class<?> type = parameter.getParameter().getType();
        return type == MinistraSimulator.class || type == MutableClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return classScoped(context, parameter.getParameter().getType());
    }

    /** The simulator of the test class this context belongs to (for other extensions). */
    public static MinistraSimulator simulator(ExtensionContext context) {
        return classScoped(context, MinistraSimulator.class);
    }

    private static <T> T classScoped(ExtensionContext context, Class<T> type) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        T found = classContext.getStore(NAMESPACE).get(type, type);
        if (found == null) {
            throw new IllegalStateException("SimulatorExtension has no " + type.getSimpleName() + " for "
                    + context.getDisplayName() + (type == MutableClock.class ? " (Config(testClock = true)?)" : ""));
        }
        return found;
    }
}
