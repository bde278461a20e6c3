package org.openhall.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * {@code %ex} with the message of every throwable (causes and suppressed ones included) escaped
 * ({@link LogText}): a stack trace keeps its lines, but an exception message that carries a
 * client's value cannot add lines of its own. Registered for {@code ex}, {@code exception} and
 * {@code throwable} in the hall's logback.xml.
 */
public final class EscapedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return super.throwableProxyToString(Escaped.of(tp));
    }

    /** A throwable as logback sees it, with its message escaped. */
    private record Escaped(IThrowableProxy proxy, IThrowableProxy cause, IThrowableProxy[] suppressed)
            implements IThrowableProxy {

        static IThrowableProxy of(IThrowableProxy tp) {
            if (tp == null || tp instanceof Escaped) {
                return tp;
            }
            IThrowableProxy[] suppressed = tp.getSuppressed();
            IThrowableProxy[] escaped = suppressed == null ? null : new IThrowableProxy[suppressed.length];
            for (int i = 0; escaped != null && i < suppressed.length; i++) {
                escaped[i] = of(suppressed[i]);
            }
            // A cyclic cause is printed by logback as "[CIRCULAR REFERENCE ...]": keep it as it is.
            IThrowableProxy cause = tp.getCause();
            return new Escaped(tp, tp.isCyclic() || cause == null || cause.isCyclic() ? cause : of(cause), escaped);
        }

        @Override
        public String getMessage() {
            return LogText.escape(proxy.getMessage());
        }

        /** Set when the throwable's own toString() differs from class name and message. */
        @Override
        public String getOverridingMessage() {
            return LogText.escape(proxy.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return proxy.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return proxy.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return proxy.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return cause;
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            return suppressed;
        }

        @Override
        public boolean isCyclic() {
            return proxy.isCyclic();
        }
    }
}
