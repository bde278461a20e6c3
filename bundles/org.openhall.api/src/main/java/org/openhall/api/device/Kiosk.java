package org.openhall.api.device;

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
    KioskIssue issue(Request request, String categoryId, PriorityClass priority);
}
