package dev.ministramanager.testsupport;

import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything logged while installed (all loggers, all levels that are enabled), including stack traces. */
public final class CapturedLogs implements AutoCloseable {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Appender appender;

    private CapturedLogs() {
        PatternLayout layout = PatternLayout.newBuilder().withPattern("%c %m%n%throwable").build();
        appender = new AbstractAppender("captured-" + System.nanoTime(), null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(getLayout().toSerializable(event).toString());
            }
        };
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        configuration.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    public static CapturedLogs install() {
        return new CapturedLogs();
    }

    public String text() {
        return String.join("", lines);
    }

    public int lineCount() {
        return lines.size();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
