package org.openhall.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} with control characters escaped ({@link LogText}): one event, one line, whatever
 * a client put into a value that is logged. Registered for {@code msg}, {@code m} and
 * {@code message} in the hall's logback.xml.
 */
public final class EscapedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(super.convert(event));
    }
}
