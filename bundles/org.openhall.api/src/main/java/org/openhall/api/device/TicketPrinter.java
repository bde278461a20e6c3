package org.openhall.api.device;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

import org.openhall.api.queue.IssuedTicket;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A ticket printer as the kiosks see it: a {@link Device} (kind {@link DeviceKinds#TICKET_PRINTER})
 * that prints a ticket in its own protocol and layout. Registered by printer drivers (the ESC/POS
 * driver of the printer bundle, or an integrator's driver for another printer), one service per
 * configured printer, under both this interface and {@link Device}. A kiosk finds its printers by
 * {@link #id()}; it never needs the driver's classes.
 *
 * @since 1.1
 */
@ConsumerType
public interface TicketPrinter extends Device {

    /**
     * Prints a ticket and returns true only when the printer took all of it and reported itself
     * ready before and after (R5: a ticket is never reported as printed when the print failed).
     * Returns false at once when the printer is not {@link DeviceStatus#ONLINE}, and after at most
     * {@code timeout} when it does not get through. Never throws.
     */
    boolean printTicket(Ticket ticket, Duration timeout);

    /**
     * What a ticket shows: the hall, the category, the issued ticket with people ahead and the
     * estimate, an optional QR code content, an optional footer, and the zone its times are shown in.
     */
    record Ticket(String hallName, String categoryName, IssuedTicket issued, String qrContent, String footer,
            ZoneId zone) {
        public Ticket {
            Objects.requireNonNull(issued, "issued");
            Objects.requireNonNull(zone, "zone");
            hallName = hallName == null ? "" : hallName;
            categoryName = categoryName == null ? issued.ticket().categoryId() : categoryName;
        }
    }
}
