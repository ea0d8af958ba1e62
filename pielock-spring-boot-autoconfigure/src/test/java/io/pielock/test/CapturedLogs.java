package io.pielock.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while it is open (through Logback's root logger), with the messages of logged exceptions
 * and their causes, so tests can check what a log would show.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLogs() {
    }

    /** @return a capture, attached to the root logger until closed */
    public static CapturedLogs capture() {
        CapturedLogs capture = new CapturedLogs();
        capture.setContext(root().getLoggerContext());
        capture.start();
        root().addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                + event.getFormattedMessage());
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            line.append(" | ").append(cause.getClassName()).append(": ").append(cause.getMessage());
        }
        this.lines.add(line.toString());
    }

    /** @return every captured line, joined */
    public String text() {
        return String.join("\n", this.lines);
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
