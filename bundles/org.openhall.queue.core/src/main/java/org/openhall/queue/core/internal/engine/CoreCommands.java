package org.openhall.queue.core.internal.engine;

import org.openhall.api.config.Credentials;
import org.osgi.service.component.annotations.Component;

/** Console commands that need the core's internals: {@code hall:hashpin PIN} for staff files. */
@Component(service = CoreCommands.class, property = { "osgi.command.scope=hall", "osgi.command.function=hashpin" })
public final class CoreCommands {

    /** Prints the value for the {@code credential} key of an {@code org.openhall.staff-<id>.cfg} file (R17). */
    public String hashpin(String pin) {
        if (pin == null || pin.length() < 4) {
            return "ERROR: a PIN has at least 4 characters";
        }
        return "credential = " + Credentials.hash(pin);
    }
}
