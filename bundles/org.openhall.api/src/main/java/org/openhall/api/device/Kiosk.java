package org.openhall.api.device;

import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A ticket kiosk (取号机): issues a ticket through the hall queue and prints it on its printer,
 * failing over to its second printer where one is configured (R5). Registered by the printer
 * bundle for every configured kiosk, with the service property {@value #KIOSK_ID}.
 */
@ProviderType
public interface Kiosk {

    /** Service property: the kiosk's configured id. */
    String KIOSK_ID = "kiosk.id";

    /** The kiosk's id. */
    String id();

    /**
     * Issues a ticket of a category the kiosk offers and prints it. Returns within the kiosk's
     * configured print timeout (plus the queue's own time) even when no printer answers.
     */
    default KioskIssue issue(Request request, String categoryId, PriorityClass priority) {
        return issue(request, categoryId, priority, null);
    }

    /**
     * As {@link #issue(Request, String, PriorityClass)}, for a service item of the category
     * ({@code null}: none), as {@link org.openhall.api.queue.HallQueue#issueTicket} takes it.
     *
     * @since 1.2
     */
    KioskIssue issue(Request request, String categoryId, PriorityClass priority, String serviceItemId);

    /**
     * Checks an appointment in (R10) and prints its ticket like an issued one, within the same
     * bound. The appointment's category must be one the kiosk offers.
     *
     * @since 1.2
     */
    KioskIssue checkIn(Request request, Appointment appointment);
}
