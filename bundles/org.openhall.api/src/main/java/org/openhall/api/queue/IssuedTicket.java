package org.openhall.api.queue;

/**
 * What issuing a ticket returns: the ticket and what its slip tells the citizen.
 *
 * @param ticket               the new ticket
 * @param peopleAhead          tickets of its category that will be called before it, by priority
 * @param estimatedWaitSeconds people ahead × rolling average handling time ÷ open windows serving
 *                             the category; -1 when no window serving it is open
 */
public record IssuedTicket(TicketView ticket, int peopleAhead, long estimatedWaitSeconds) {
}
